import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backendEnv, type Dialect, hasPostgres } from '../../../../../test/support/backends.ts';
import { bearer, startTestApp } from '../../../../../test/support/test-app.ts';
import { hashPassword } from '../../auth/password.ts';
import { hashSecret } from '../../auth/secrets.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../database.ts';
import type { Database } from '../schema.ts';
import { migrations } from './index.ts';

type Row = Record<string, string | number | null>;
interface Seeded {
  table: string;
  row: Row;
}

const idRow = z.object({ id: z.number() });
const countRow = z.object({ n: z.coerce.number() });

/** Inserts one row the way an older version would have (raw SQL: today's types may not fit it). */
async function insert(db: Kysely<Database>, seeded: Seeded[], table: string, row: Row, returnsId = true) {
  const columns = Object.keys(row);
  const values = sql.join(columns.map((c) => sql`${row[c]}`));
  const into = sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values (${values})`;
  seeded.push({ table, row });
  if (!returnsId) {
    await into.execute(db);
    return 0;
  }
  const result = await sql`${into} returning id`.execute(db);
  const id = idRow.parse(result.rows[0]).id;
  row.id = id;
  return id;
}

/** Whether a row with exactly these column values is still there. */
async function present(db: Kysely<Database>, { table, row }: Seeded): Promise<boolean> {
  const where = sql.join(
    Object.entries(row).map(([c, v]) =>
      v === null ? sql`${sql.ref(c)} is null` : sql`${sql.ref(c)} = ${v}`,
    ),
    sql` and `,
  );
  const result = await sql`select count(*) as n from ${sql.table(table)} where ${where}`.execute(db);
  return countRow.parse(result.rows[0]).n === 1;
}

const TOKEN = 'ist_token-from-the-oldest-schema';
const at = '2024-01-02T03:04:05.000Z';

/**
 * What each version added, seeded right after its migration ran: a database that lived through
 * every release. Migrations without an entry (added later) are still run and checked through.
 */
const seeds: Record<
  string,
  (db: Kysely<Database>, seeded: Seeded[], ids: Record<string, number>) => Promise<void>
> = {
  '001-foundation': async (db, seeded, ids) => {
    const user = await insert(db, seeded, 'users', {
      email: 'old@example.com',
      password_hash: await hashPassword('old password 1'),
      role: 'admin',
      created_at: at,
      updated_at: at,
    });
    ids.user = user;
    await insert(db, seeded, 'api_tokens', {
      user_id: user,
      name: 'cli',
      token_hash: hashSecret(TOKEN),
      token_prefix: TOKEN.slice(0, 10),
      created_at: at,
      last_used_at: null,
    });
    const asset = (title: string, extra: Row = {}) =>
      insert(db, seeded, 'assets', {
        user_id: user,
        asset_type: 'image',
        source_module: 'upload',
        title,
        prompt: 'a lighthouse on the rocks',
        params: '{"platform":"instagram"}',
        width: 640,
        height: 480,
        format: 'png',
        mime_type: 'image/png',
        file_size: 1234,
        sha256: 'a'.repeat(64),
        tags: '["summer","beach"]',
        created_at: at,
        updated_at: at,
        ...extra,
      });
    ids.parent = await asset('Old lighthouse');
    ids.child = await asset('Old lighthouse crop', { sha256: 'b'.repeat(64), source_module: 'social' });
    ids.trashed = await asset('Old trashed', { sha256: 'c'.repeat(64), deleted_at: at });
    await insert(db, seeded, 'asset_parents', { asset_id: ids.child, parent_id: ids.parent }, false);
    await insert(
      db,
      seeded,
      'jobs',
      {
        id: 'job-old-1',
        user_id: user,
        type: 'create',
        status: 'succeeded',
        progress: 100,
        input: '{"prompt":"a lighthouse"}',
        result: '{"asset_ids":[1]}',
        attempts: 1,
        created_at: at,
        started_at: at,
        finished_at: at,
        updated_at: at,
      },
      false,
    );
  },
  '003-library': async (db, seeded, ids) => {
    ids.collection = await insert(db, seeded, 'collections', {
      user_id: ids.user ?? 0,
      name: 'Old campaign',
      cover_asset_id: ids.parent ?? 0,
      created_at: at,
      updated_at: at,
    });
  },
  '004-billing': async (db, seeded, ids) => {
    const user = ids.user ?? 0;
    await insert(
      db,
      seeded,
      'credit_accounts',
      {
        user_id: user,
        plan: 'pro',
        balance: 4200,
        allowance_period: '2099-12',
        created_at: at,
        updated_at: at,
      },
      false,
    );
    for (const [kind, amount, balance] of [
      ['grant', 5000, 5000],
      ['reserve', -800, 4200],
      ['capture', 0, 4200],
    ] as const) {
      await insert(db, seeded, 'credit_ledger', {
        user_id: user,
        kind,
        amount,
        balance_after: balance,
        job_id: kind === 'grant' ? null : 'job-old-1',
        idempotency_key: `old-${kind}`,
        created_at: at,
      });
    }
  },
  '005-personas': async (db, seeded, ids) => {
    await insert(db, seeded, 'personas', {
      user_id: ids.user ?? 0,
      name: 'Old brand voice',
      style_keywords: '["bold"]',
      created_at: at,
      updated_at: at,
    });
  },
  '006-provider-keys': async (db, seeded, ids) => {
    await insert(db, seeded, 'provider_keys', {
      user_id: ids.user ?? 0,
      provider: 'stability',
      ciphertext: 'not-a-real-box',
      last4: '1234',
      created_at: at,
      updated_at: at,
    });
  },
};

const dialects: Array<[Dialect, boolean]> = [
  ['sqlite', true],
  ['postgres', hasPostgres()],
];

describe.each(dialects)('migrations on %s', (dialect, available) => {
  it.runIf(available)(
    'a database from the oldest schema, with data added at every version, migrates forward intact',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-migrate-'));
      const env = await backendEnv({ dataDir, dialect });
      const config = loadConfig(env);
      const db = openDatabase({
        databaseUrl: config.databaseUrl,
        sqlitePath: path.join(dataDir, 'studio.db'),
      });
      const all = migrations(db.dialect);
      const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => all } });
      const seeded: Seeded[] = [];
      const ids: Record<string, number> = {};
      try {
        for (const name of Object.keys(all)) {
          const { error } = await migrator.migrateTo(name);
          expect(error, `migrating to ${name}`).toBeUndefined();
          for (const s of seeded) {
            expect(await present(db.kysely, s), `${s.table} ${JSON.stringify(s.row)} after ${name}`).toBe(
              true,
            );
          }
          await seeds[name]?.(db.kysely, seeded, ids);
        }
        expect(seeded.length).toBeGreaterThan(10);

        // Derived data the later migrations built from rows that were already there.
        const tags =
          await sql`select tag from asset_tags where asset_id = ${ids.parent ?? 0} order by tag`.execute(
            db.kysely,
          );
        expect(tags.rows.map((r) => z.object({ tag: z.string() }).parse(r).tag)).toEqual([
          'beach',
          'platform:instagram',
          'summer',
        ]);
        const counts = await sql`select live from asset_counts where user_id = ${ids.user ?? 0}`.execute(
          db.kysely,
        );
        expect(counts.rows.map((r) => z.object({ live: z.coerce.number() }).parse(r).live)).toEqual([2]);
      } finally {
        await db.close();
      }

      // The server starts on it (nothing left to migrate) and its user finds everything.
      const t = await startTestApp({ reuse: { dataDir, env } });
      try {
        const auth = bearer(TOKEN);
        const found = await t.app.inject({ url: '/api/content-assets?search=lighthouse', headers: auth });
        expect(found.statusCode, found.body).toBe(200);
        expect(
          found
            .json<{ assets: Array<{ id: number }> }>()
            .assets.map((a) => a.id)
            .sort(),
        ).toEqual([ids.parent, ids.child].sort());
        const lineage = await t.app.inject({
          url: `/api/content-assets/${ids.child}/lineage`,
          headers: auth,
        });
        expect(lineage.json<{ ancestors: Array<{ id: number }> }>().ancestors.map((a) => a.id)).toEqual([
          ids.parent,
        ]);
        const history = await t.app.inject({ url: '/api/credits/history', headers: auth });
        expect(
          history
            .json<{ items: Array<{ kind: string }> }>()
            .items.map((i) => i.kind)
            .sort(),
        ).toEqual(expect.arrayContaining(['capture', 'grant', 'reserve']));
        const login = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'old@example.com', password: 'old password 1' },
        });
        expect(login.statusCode, login.body).toBe(200);
        const setup = await t.app.inject({
          method: 'POST',
          url: '/api/auth/setup',
          payload: { email: 'intruder@example.com', password: 'intruder pass 1' },
        });
        expect(setup.statusCode).toBe(409);
      } finally {
        await t.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
