import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Driver, Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { preparedOnce } from './statement-cache.ts';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Runs pending migrations; throws with the failing migration's name. */
  migrate(): Promise<void>;
  /** A cheap round trip for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// PostgreSQL sends int8 (count(*), bigint columns) and numeric (sum()) as strings; the app wants numbers.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface DbOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite at `sqlitePath` (':memory:' for tests). */
  databaseUrl?: string;
  sqlitePath: string;
  /** SQLite: prepare every query anew, as Kysely does alone (the benchmark's baseline). */
  prepareEachQuery?: boolean;
  /** Hears a PostgreSQL connection that broke (server restarted, backend terminated); stderr if not given. */
  onConnectionError?: (err: Error) => void;
}

/**
 * SQLite transactions begin IMMEDIATE, taking the write lock at once. A deferred transaction that
 * reads and then writes cannot wait for another process's write lock (SQLite answers SQLITE_BUSY at
 * once rather than call the busy handler), so a worker process or a backup writing at that moment
 * would fail it; an immediate one waits up to busy_timeout like any single write.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

export function openDatabase(options: DbOptions): Db {
  const dialect: DialectName = options.databaseUrl ? 'postgres' : 'sqlite';
  let kysely: Kysely<Database>;
  if (options.databaseUrl) {
    // Waiting for a connection is bounded: a restarting server or a full pool answers 503 database_busy
    // after 10 s instead of holding the request (or a job's save) forever.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    const onError =
      options.onConnectionError ??
      ((err: Error) => process.stderr.write(`PostgreSQL connection error: ${err.message}\n`));
    // A connection the server drops is an 'error' event on its client, and on the pool too while
    // idle; unheard, either ends the process. The pool replaces the connection, and a query that was
    // using it fails on its own, so hearing it is enough. Each client's listener does the telling.
    pool.on('connect', (client) => client.on('error', onError));
    pool.on('error', () => undefined);
    kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    if (options.sqlitePath !== ':memory:') {
      fs.mkdirSync(path.dirname(options.sqlitePath), { recursive: true });
    }
    const sqlite = new SqliteDatabase(options.sqlitePath);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    kysely = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({
        database: options.prepareEachQuery ? sqlite : preparedOnce(sqlite),
      }),
    });
  }

  return {
    kysely,
    dialect,
    async migrate() {
      const migrator = new Migrator({
        db: kysely,
        provider: { getMigrations: async () => migrations(dialect) },
      });
      const { error, results } = await migrator.migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
      }
    },
    async ping() {
      await kysely
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .limit(1)
        .execute();
    },
    async close() {
      await kysely.destroy();
    },
  };
}
