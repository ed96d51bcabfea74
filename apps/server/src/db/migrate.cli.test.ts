import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backendEnv, hasPostgres } from '../../../../test/support/backends.ts';
import { openDatabase } from './database.ts';
import { migrations } from './migrations/index.ts';

/** `npm run migrate` as a deployment runs it: its own process, then it exits. */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-migrate-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const migrate = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src/db/migrate.cli.ts')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('npm run migrate (%s)', (dialect, available) => {
  it.runIf(available)('applies every migration, exits 0, and a second run changes nothing', async () => {
    const env = await backendEnv({ dataDir: path.join(dataDir, dialect), dialect });
    for (let run = 0; run < 2; run++) {
      const result = migrate(env);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`The ${dialect} database is at the latest schema.`);
    }
    const db = openDatabase({
      databaseUrl: env.DATABASE_URL,
      sqlitePath: path.join(env.DATA_DIR ?? '', 'studio.db'),
    });
    try {
      const applied = await db.kysely
        .withTables<{ kysely_migration: { name: string } }>()
        .selectFrom('kysely_migration')
        .select('name')
        .execute();
      expect(applied.map((m) => m.name).sort()).toEqual(Object.keys(migrations(dialect)).sort());
    } finally {
      await db.close();
    }
  });

  it.runIf(available && dialect === 'postgres')(
    'exits 1 naming the problem when the database is unreachable',
    () => {
      const result = migrate({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^Migration failed: /);
    },
  );
});
