import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { createContext } from '../apps/server/src/context.ts';
import type { StudioApp } from '../apps/server/src/http/types.ts';
import { makeTempRoot, startPostgres } from '../test/setup/services.ts';
import { makePng } from '../test/support/images.ts';
import { type SeedBlob, type SeedTarget, seedLibrary } from './assets.seed.ts';

/**
 * `npm run bench:assets`: a library of 100,000 assets for one user among 10 users (each other user has
 * 2,000), with what the background analysis adds (automatic tags, recognised text, palettes), then
 * p50/p95 latency of list, filtered list, colour filter, search and statistics through the HTTP API
 * (app.inject: routing, auth by bearer token, validation, serialization), on SQLite and then on a
 * throwaway PostgreSQL cluster. Baseline in the same run: `GET /api/auth/me`, the cheapest
 * authenticated endpoint (the same auth lookup and HTTP layers, no library query).
 *
 * Options (`npm run bench:assets -- --assets=1000000 --runs=50`): the main library's size, the
 * requests per endpoint, `--db=sqlite|postgres` for one database only, and `--keep` to leave the
 * seeded PostgreSQL cluster running afterwards (its URL and stop command are printed) for EXPLAIN.
 */

const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;
const MAIN_ASSETS = Number(option('assets') ?? 100_000);
const OTHER_USERS = 9;
const OTHER_ASSETS = 2_000;
const WARMUP = 20;
const RUNS = Number(option('runs') ?? 200);
const BLOBS = 16;
const ONLY = option('db');
const KEEP = process.argv.includes('--keep');
if (!Number.isInteger(MAIN_ASSETS) || MAIN_ASSETS < 1000 || !Number.isInteger(RUNS) || RUNS < 20) {
  throw new Error('--assets must be a whole number ≥ 1000 and --runs ≥ 20');
}

async function api(app: StudioApp, method: 'GET' | 'POST', url: string, token?: string, payload?: object) {
  const res = await app.inject({
    method,
    url,
    payload,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (res.statusCode >= 300) {
    throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
  return res;
}

async function userToken(app: StudioApp, adminToken: string | undefined, email: string) {
  const password = 'bench password 1';
  if (adminToken) {
    await api(app, 'POST', '/api/users', adminToken, { email, password });
  } else {
    await api(app, 'POST', '/api/auth/setup', undefined, { email, password });
  }
  const login = await api(app, 'POST', '/api/auth/login', undefined, { email, password });
  const cookie = login.cookies.find((c) => c.name === 'studio_session')?.value ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/api/tokens',
    cookies: { studio_session: cookie },
    headers: { origin: 'http://localhost:80' },
    payload: { name: 'bench' },
  });
  const me = await app.inject({ url: '/api/auth/me', cookies: { studio_session: cookie } });
  return { token: res.json<{ token: string }>().token, userId: me.json<{ id: number }>().id };
}

interface Result {
  name: string;
  url: string;
  p50: number;
  p95: number;
  rows?: number;
  total?: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

interface Case {
  name: string;
  urls: string[];
}

/**
 * Runs the cases round-robin (one request of each per round), so a burst of load from other
 * processes hits every endpoint alike and the ratios to the baseline stay meaningful.
 */
async function measureAll(app: StudioApp, token: string, cases: Case[]): Promise<Result[]> {
  const times = cases.map(() => [] as number[]);
  const first = cases.map(() => ({}) as { assets?: unknown[]; total?: number });
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [i, c] of cases.entries()) {
      const url = c.urls[round % c.urls.length] ?? '';
      const t0 = process.hrtime.bigint();
      const res = await api(app, 'GET', url, token);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (round === WARMUP) first[i] = res.json();
      if (round >= WARMUP) times[i]?.push(ms);
    }
  }
  return cases.map((c, i) => {
    const sorted = (times[i] ?? []).sort((a, b) => a - b);
    return {
      name: c.name,
      url: c.urls[0] ?? '',
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      rows: first[i]?.assets?.length,
      total: first[i]?.total,
    };
  });
}

async function runOn(dialect: 'sqlite' | 'postgres', databaseUrl?: string): Promise<Result[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-assets-${dialect}-`));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-42',
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // The seed writes palettes and tags but no `asset_analysis` rows, so the worker would take every
    // seeded asset for new and analyse it (and rewrite its palette) while the requests are timed.
    ANALYZE_NEW_ASSETS: 'false',
    WEB_DIST_DIR: path.join(dataDir, 'no-web'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const ctx = await createContext(config, pino({ level: 'silent' }));
  const app = await buildApp(ctx);
  await app.ready();
  try {
    const admin = await userToken(app, undefined, 'admin@bench.test');
    const users = [admin];
    for (let u = 1; u <= OTHER_USERS; u++)
      users.push(await userToken(app, admin.token, `user${u}@bench.test`));

    const blobs: SeedBlob[] = [];
    for (let i = 0; i < BLOBS; i++) {
      const { asset } = await ctx.assets.create({
        userId: admin.userId,
        bytes: await makePng(64, 48, i),
        sourceModule: 'upload',
      });
      const row = await ctx.assets.owned(admin.userId, asset.id);
      blobs.push({
        sha256: row.sha256,
        small: row.thumb_small_sha256,
        large: row.thumb_large_sha256,
        thumbhash: row.thumbhash,
        size: Number(row.file_size),
      });
    }
    const t0 = Date.now();
    // The big library's user is not the first one, so per-user scoping is exercised, not assumed.
    const main = users[4] ?? admin;
    const seeded = { assets: 0, autoTags: 0, colours: 0 };
    const target: SeedTarget =
      ctx.db.dialect === 'sqlite'
        ? { dialect: 'sqlite', file: path.join(dataDir, 'studio.db') }
        : { dialect: 'postgres', db: ctx.db.kysely };
    for (const [i, user] of users.entries()) {
      const count = user === main ? MAIN_ASSETS : OTHER_ASSETS;
      const n = await seedLibrary(target, user.userId, count, blobs, 42 + i);
      seeded.assets += n.assets;
      seeded.autoTags += n.autoTags;
      seeded.colours += n.colours;
    }
    const seedMs = Date.now() - t0;
    if (ctx.db.dialect === 'postgres') {
      // A deployed PostgreSQL has had autovacuum analyze the table; fresh statistics say "1 row".
      // SQLite is left as the app leaves it: without ANALYZE statistics.
      await sql`vacuum analyze`.execute(ctx.db.kysely);
    }
    console.log(
      `[${dialect}] seeded ${seeded.assets} assets (${seeded.autoTags} automatic tags, ${seeded.colours} palette colours) for ${users.length} users in ${(seedMs / 1000).toFixed(1)} s, statistics in ${((Date.now() - t0 - seedMs) / 1000).toFixed(1)} s`,
    );

    const q = '/api/content-assets';
    const first = await api(app, 'GET', `${q}?limit=50`, main.token);
    const cursor = encodeURIComponent(first.json<{ next_cursor: string }>().next_cursor);
    const deep = await api(
      app,
      'GET',
      `${q}?limit=50&sort_by=created_at&offset=${Math.floor(MAIN_ASSETS / 2)}`,
      main.token,
    );
    const deepCursor = encodeURIComponent(
      deep.json<{ assets: { id: number }[]; next_cursor: string }>().next_cursor,
    );
    const results = await measureAll(app, main.token, [
      { name: 'baseline GET /api/auth/me', urls: ['/api/auth/me'] },
      { name: 'list (newest 50)', urls: [`${q}?limit=50`] },
      { name: 'list (default 100)', urls: [q] },
      { name: 'list next page (cursor)', urls: [`${q}?limit=50&cursor=${cursor}`] },
      { name: 'list page halfway (cursor)', urls: [`${q}?limit=50&cursor=${deepCursor}`] },
      { name: 'list sorted by cost', urls: [`${q}?limit=50&sort_by=cost`] },
      {
        name: 'filtered: provider+model+date',
        urls: [
          `${q}?limit=50&provider=stability&model=sd3.5-large&date_from=2025-06-01`,
          `${q}?limit=50&provider=wavespeed&model=qwen-image&date_from=2025-01-01`,
        ],
      },
      { name: 'filtered: favorites', urls: [`${q}?limit=50&favorites_only=true`] },
      { name: 'filtered: tag', urls: [`${q}?limit=50&tags=approved`] },
      { name: 'filtered: platform', urls: [`${q}?limit=50&platform=instagram`] },
      {
        name: 'filtered: colour',
        urls: [`${q}?limit=50&color=%232255ff`, `${q}?limit=50&color=%23e03020&color_tolerance=10`],
      },
      {
        name: 'search: one word (relevance)',
        urls: [
          `${q}?limit=50&search=lighthouse`,
          `${q}?limit=50&search=dragon`,
          `${q}?limit=50&search=orchids`,
        ],
      },
      {
        name: 'search: two words (relevance)',
        urls: [`${q}?limit=50&search=misty%20lighthouse`, `${q}?limit=50&search=neon%20robot`],
      },
      { name: 'search: model name', urls: [`${q}?limit=50&search=qwen`] },
      {
        name: 'search: object or text in image',
        urls: [`${q}?limit=50&search=umbrella`, `${q}?limit=50&search=summer%20sale`],
      },
      { name: 'search + newest first', urls: [`${q}?limit=50&search=watercolor%20fox&sort_by=created_at`] },
      { name: 'statistics', urls: [`${q}/statistics`] },
    ]);
    return results;
  } finally {
    await app.close();
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function report(dialect: string, results: Result[]) {
  const base = results[0];
  console.log(
    `\n${dialect}: ${RUNS} requests each via app.inject, ms (load average now ${load()}, ${os.cpus().length} cores)`,
  );
  console.log(
    `${'endpoint'.padEnd(34)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p95/base'.padStart(10)}${'rows'.padStart(6)}${'total'.padStart(8)}`,
  );
  for (const r of results) {
    const ratio = base ? (r.p95 / base.p95).toFixed(1) : '';
    console.log(
      `${r.name.padEnd(34)}${r.p50.toFixed(2).padStart(8)}${r.p95.toFixed(2).padStart(8)}${ratio.padStart(10)}${String(r.rows ?? '').padStart(6)}${String(r.total ?? '').padStart(8)}`,
    );
  }
}

const runs: { label: string; results: Result[] }[] = [];
if (ONLY !== 'postgres') {
  const sqlite = await runOn('sqlite');
  report('SQLite', sqlite);
  runs.push({ label: 'SQLite', results: sqlite });
}

if (ONLY !== 'sqlite') {
  const root = makeTempRoot();
  try {
    const pg = await startPostgres(root);
    try {
      const results = await runOn('postgres', pg.url);
      report('PostgreSQL', results);
      runs.push({ label: 'PostgreSQL', results });
    } finally {
      if (KEEP) {
        const data = path.join(root, 'pg', 'data');
        console.log(
          `\nPostgreSQL kept running: ${pg.url}\nstop it: pg_ctl -D ${data} stop (as the postgres user), then rm -r ${root}`,
        );
      } else {
        pg.stop();
      }
    }
  } catch (e) {
    console.log(`\nPostgreSQL skipped: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (!KEEP) fs.rmSync(root, { recursive: true, force: true });
  }
}

console.log('');
for (const { label, results } of runs) {
  const target = results.filter((r) => /^(list|filtered|search)/.test(r.name));
  const worst = target.reduce((w, r) => (r.p95 > w.p95 ? r : w));
  console.log(
    `${label} at ${MAIN_ASSETS} assets, worst p95 of lists and search: ${worst.p95.toFixed(2)} ms (${worst.name}; target < 50 ms): ${worst.p95 < 50 ? 'met' : 'MISSED'}`,
  );
}
