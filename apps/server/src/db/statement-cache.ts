import type Sqlite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept prepared; `in (…)` lists of every length each count as one. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely's SQLite driver sees it, with each distinct SQL text prepared once.
 * The driver prepares every query it runs, and compiling the statement cost as much as running it
 * for the small inserts an export makes by the hundred. A statement is reused only after its last
 * run finished: the driver holds its one connection for the whole of a query or a stream.
 */
export function preparedOnce(db: Sqlite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql) {
      const kept = cache.get(sql);
      if (kept) {
        // Map order is insertion order: moving a hit to the end keeps the least recent first.
        cache.delete(sql);
        cache.set(sql, kept);
        return kept;
      }
      const statement = db.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > size) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      return statement;
    },
  };
}
