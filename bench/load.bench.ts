import { readFileSync } from 'node:fs';
import http from 'node:http';
import autocannon, { type Request, type Result } from 'autocannon';
import { z } from 'zod';
import { StabilityFake } from '../test/fakes/stability.ts';
import { makePng } from '../test/support/images.ts';
import { type RunningServer, startServer } from '../test/support/server-process.ts';

/**
 * `npm run bench:load [seconds]`: the real server (`apps/server/src/main.ts`, as `npm start` runs
 * it, SQLite + files + in-process jobs) in its own process, and autocannon on loopback with mixed
 * traffic for 60 s (or `seconds`) at 50 connections: 40 request connections split across library
 * lists, library searches, cost estimates, small social exports (one 1080×1080 format from a
 * 320×240 JPEG) and uploads (a new PNG each time, thumbnails included), plus 10 server-sent-event
 * subscribers (two each for five users) held open on jobs that stay running or queued. Requests
 * rotate over 10 users' tokens; the per-user rate limit is raised (RATE_LIMIT_PER_MINUTE) so it
 * measures capacity, not the limiter. Three runs in a row on one server: requests/s and p50/p99
 * per route, status codes, connection errors, dropped SSE streams, and the server's RSS after each
 * run and its peak (flat RSS across runs = no leak). Fails (exit 1) on any 5xx, connection error
 * or dropped stream. Baseline in the same run: the cheapest authenticated call
 * (`GET /api/auth/me`) on 4 of the 40 connections.
 */

const CONNECTIONS = 50;
const SSE_STREAMS = 10;
/** The SSE streams are spread over this many users, two each. */
const SSE_USERS = 5;
const USERS = 10;
const RUNS = 3;
const SEEDED_PER_USER = 20;
const UPLOAD_VARIANTS = 400;
const seconds = Number(process.argv[2] ?? 60);

/** What `npm start` adds to the environment (see package.json). */
const NPM_START_ENV = { MALLOC_ARENA_MAX: '2' };

interface Route {
  name: string;
  connections: number;
  requests: (ctx: Setup) => Request[];
}

interface Setup {
  tokens: string[];
  uploads: string[];
  socialBody: string;
}

let turn = 0;
/** Each request goes out as the next user, so no one user's limit or lock decides the figures. */
const asNextUser =
  (ctx: Setup, body?: () => string) =>
  (request: Request): Request => {
    turn++;
    return {
      ...request,
      headers: { ...request.headers, authorization: `Bearer ${ctx.tokens[turn % ctx.tokens.length]}` },
      ...(body ? { body: body() } : {}),
    };
  };

const json = { 'content-type': 'application/json' };
const SEARCHES = ['lighthouse', 'harbour dawn', 'load', 'beach'];
let uploadTurn = 0;

const ROUTES: Route[] = [
  { name: 'baseline GET /api/auth/me', connections: 4, requests: (ctx) => [get('/api/auth/me', ctx)] },
  {
    name: 'library list',
    connections: 10,
    requests: (ctx) => [
      get('/api/content-assets?limit=24', ctx),
      get('/api/content-assets?limit=24&offset=24', ctx),
    ],
  },
  {
    name: 'library search',
    connections: 8,
    requests: (ctx) =>
      SEARCHES.map((q) => get(`/api/content-assets?limit=24&search=${encodeURIComponent(q)}`, ctx)),
  },
  {
    name: 'cost estimate',
    connections: 6,
    requests: (ctx) => [
      {
        method: 'POST',
        path: '/api/image-studio/estimate-cost',
        headers: json,
        body: JSON.stringify({
          provider: 'auto',
          operation: 'generate',
          num_images: 2,
          width: 1024,
          height: 1024,
        }),
        setupRequest: asNextUser(ctx),
      },
    ],
  },
  {
    name: 'social export (1 format)',
    connections: 6,
    requests: (ctx) => [
      {
        method: 'POST',
        path: '/api/image-studio/social/optimize',
        headers: json,
        body: ctx.socialBody,
        setupRequest: asNextUser(ctx),
      },
    ],
  },
  {
    name: 'upload',
    connections: 6,
    requests: (ctx) => [
      {
        method: 'POST',
        path: '/api/content-assets/upload',
        headers: json,
        setupRequest: asNextUser(ctx, () => ctx.uploads[uploadTurn++ % ctx.uploads.length] ?? ''),
      },
    ],
  },
];

function get(path: string, ctx: Setup): Request {
  return { method: 'GET', path, setupRequest: asNextUser(ctx) };
}

const statusMb = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
};

async function call(server: RunningServer, method: string, url: string, token?: string, body?: object) {
  const res = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? json : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) {
    throw new Error(`${method} ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  return res;
}

async function tokenFor(server: RunningServer, email: string, password: string): Promise<string> {
  const login = await call(server, 'POST', '/api/auth/login', undefined, { email, password });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${server.baseUrl}/api/tokens`, {
    method: 'POST',
    headers: { cookie, origin: server.baseUrl, ...json },
    body: JSON.stringify({ name: 'load' }),
  });
  return z.object({ token: z.string() }).parse(await res.json()).token;
}

async function prepare(server: RunningServer): Promise<Setup> {
  const password = 'load password 1';
  await call(server, 'POST', '/api/auth/setup', undefined, { email: 'user0@example.com', password });
  const tokens = [await tokenFor(server, 'user0@example.com', password)];
  for (let i = 1; i < USERS; i++) {
    await call(server, 'POST', '/api/users', tokens[0], { email: `user${i}@example.com`, password });
    tokens.push(await tokenFor(server, `user${i}@example.com`, password));
  }
  const titles = ['Lighthouse at dawn', 'Harbour dawn', 'Load test', 'Beach day'];
  for (const [u, token] of tokens.entries()) {
    for (let i = 0; i < SEEDED_PER_USER; i++) {
      const png = await makePng(48 + u, 32 + i, u * SEEDED_PER_USER + i);
      await call(server, 'POST', '/api/content-assets/upload', token, {
        image_base64: png.toString('base64'),
        title: `${titles[i % titles.length]} ${i}`,
        tags: ['seeded'],
      });
    }
  }
  const uploads: string[] = [];
  for (let i = 0; i < UPLOAD_VARIANTS; i++) {
    // Different bytes every time (within a run), so each upload stores and thumbnails a new blob.
    const png = await makePng(96 + (i % 64), 64 + Math.floor(i / 64), i);
    uploads.push(JSON.stringify({ image_base64: png.toString('base64'), title: `load ${i}` }));
  }
  const { default: sharp } = await import('sharp');
  const photo = await sharp(await makePng(320, 240, 7))
    .jpeg({ quality: 85 })
    .toBuffer();
  const socialBody = JSON.stringify({
    image_base64: photo.toString('base64'),
    platforms: ['instagram'],
    format_names: { instagram: 'Feed Post (Square)' },
    include_base64: false,
  });
  return { tokens, uploads, socialBody };
}

interface Subscription {
  token: string;
  jobId: string;
}

/**
 * One job per SSE user that stays running or queued (the provider fake answers after the bench),
 * so its streams stay open; several users, so the per-user stream cap is not what is measured.
 */
async function longJobs(server: RunningServer, tokens: string[]): Promise<Subscription[]> {
  const admin = tokens[0] ?? '';
  const subscriptions: Subscription[] = [];
  for (const token of tokens.slice(0, SSE_USERS)) {
    const me = z
      .object({ id: z.number() })
      .parse(await (await call(server, 'GET', '/api/auth/me', token)).json());
    await call(server, 'PUT', `/api/admin/users/${me.id}/plan`, admin, { plan: 'pro' });
    await call(server, 'POST', `/api/admin/users/${me.id}/credits`, admin, { amount: 1000, reason: 'load' });
    const res = await call(server, 'POST', '/api/image-studio/create', token, {
      prompt: 'a lighthouse',
      provider: 'stability',
      model: 'core',
      async: true,
    });
    subscriptions.push({ token, jobId: z.object({ job_id: z.string() }).parse(await res.json()).job_id });
  }
  return subscriptions;
}

interface Streams {
  close(): { opened: number; events: number; dropped: number };
}

function subscribe(server: RunningServer, subscriptions: Subscription[], count: number): Streams {
  let opened = 0;
  let events = 0;
  let dropped = 0;
  let closing = false;
  const requests = Array.from({ length: count }, (_, i) => {
    const { token, jobId } = subscriptions[i % subscriptions.length] ?? { token: '', jobId: '' };
    const req = http.get(`${server.baseUrl}/api/jobs/${jobId}/events`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      if (res.statusCode === 200) opened++;
      res.on('data', (chunk: Buffer) => {
        events += chunk.toString().split('event: status').length - 1;
      });
      res.on('close', () => {
        if (!closing) dropped++;
      });
    });
    req.on('error', () => {
      if (!closing) dropped++;
    });
    return req;
  });
  return {
    close() {
      closing = true;
      for (const req of requests) req.destroy();
      return { opened, events, dropped };
    },
  };
}

const codes = (r: Result) =>
  Object.entries(r.statusCodeStats)
    .map(([code, s]) => `${code}×${s.count}`)
    .join(' ');

async function oneRun(server: RunningServer, ctx: Setup, subscriptions: Subscription[], run: number) {
  const streams = subscribe(server, subscriptions, SSE_STREAMS);
  const results = await Promise.all(
    ROUTES.map((route) =>
      autocannon({
        url: server.baseUrl,
        title: route.name,
        connections: route.connections,
        duration: seconds,
        timeout: 30,
        requests: route.requests(ctx),
      }),
    ),
  );
  const sse = streams.close();
  const rss = statusMb(server.pid, 'VmRSS');
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  process.stdout.write(`\nrun ${run}: ${seconds} s, ${CONNECTIONS} connections (${SSE_STREAMS} SSE)\n`);
  process.stdout.write(
    `${'route'.padEnd(28)} ${'conns'.padStart(5)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  status codes / errors\n`,
  );
  for (const [i, r] of results.entries()) {
    const route = ROUTES[i];
    process.stdout.write(
      `${(route?.name ?? '').padEnd(28)} ${String(route?.connections).padStart(5)} ${(r.requests.total / r.duration).toFixed(1).padStart(7)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)}  ${codes(r)}${r.errors ? ` errors×${r.errors} (timeouts×${r.timeouts})` : ''}\n`,
    );
  }
  process.stdout.write(
    `all routes: ${(total / seconds).toFixed(1)} req/s; SSE: ${sse.opened}/${SSE_STREAMS} open, ${sse.events} events, ${sse.dropped} dropped; server RSS after the run ${rss} MB\n`,
  );
  return {
    fiveXx: results.reduce((n, r) => n + r['5xx'], 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    dropped: sse.dropped + (SSE_STREAMS - sse.opened),
    rss,
  };
}

const rssGrowth = (runs: Array<{ rss: number }>) => {
  const first = runs[0]?.rss ?? 0;
  const last = runs.at(-1)?.rss ?? 0;
  return `${last >= first ? '+' : ''}${last - first} MB`;
};

async function main() {
  const stability = new StabilityFake();
  // Answers after the bench is over: the jobs it serves stay running (or queued behind them).
  stability.latencyMs = 30 * 60_000;
  await stability.start();
  const server = await startServer(
    {
      ...NPM_START_ENV,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      STABILITY_API_KEY: 'sk-load',
      STABILITY_BASE_URL: stability.baseUrl,
      PROVIDER_TIMEOUT_MS: String(30 * 60_000),
    },
    { web: false },
  );
  let failed = false;
  try {
    const ctx = await prepare(server);
    const subscriptions = await longJobs(server, ctx.tokens);
    process.stdout.write(
      `server pid ${server.pid}: ${USERS} users, ${USERS * SEEDED_PER_USER} seeded assets, RSS before load ${statusMb(server.pid, 'VmRSS')} MB\n`,
    );
    const runs = [];
    for (let run = 1; run <= RUNS; run++) {
      runs.push(await oneRun(server, ctx, subscriptions, run));
    }
    const fiveXx = runs.reduce((n, r) => n + r.fiveXx, 0);
    const errors = runs.reduce((n, r) => n + r.errors, 0);
    const dropped = runs.reduce((n, r) => n + r.dropped, 0);
    process.stdout.write(
      `\nRSS after runs 1–${RUNS}: ${runs.map((r) => `${r.rss} MB`).join(', ')} (run 1 → ${RUNS}: ${rssGrowth(runs)}); peak RSS ${statusMb(server.pid, 'VmHWM')} MB\n` +
        `5xx: ${fiveXx}; connection errors: ${errors}; dropped SSE streams: ${dropped}\n`,
    );
    failed = fiveXx + errors + dropped > 0;
    if (failed) process.stdout.write(`server output (tail):\n${server.output().slice(-4000)}\n`);
  } finally {
    await server.stop();
    await stability.stop();
  }
  process.exit(failed ? 1 : 0);
}

await main();
