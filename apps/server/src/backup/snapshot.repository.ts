import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';

/** A column that holds blob keys: `sha256` or `<something>_sha256` (assets' file and thumbnails). */
const isBlobColumn = (name: string) => name === 'sha256' || name.endsWith('_sha256');

const shaRow = z.object({ sha: z.string() });
const nameRow = z.object({ name: z.string() });

/**
 * What a snapshot needs to know about the database it copies. The blob columns are found by name
 * rather than listed, so a table added by a later migration is backed up without touching this file.
 * Run it on the snapshot itself (SQLite copy, or the transaction pg_dump shares), never the live
 * database, so the blobs listed are exactly the ones the snapshot's rows reference.
 */
export class SnapshotRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async blobKeys(): Promise<string[]> {
    const tables = await this.db.introspection.getTables();
    const keys = new Set<string>();
    for (const table of tables) {
      if (table.isView) {
        continue;
      }
      for (const column of table.columns.filter((c) => isBlobColumn(c.name))) {
        const rows = await sql`select distinct ${sql.ref(column.name)} as sha from ${sql.table(table.name)}
          where ${sql.ref(column.name)} is not null`.execute(this.db);
        for (const row of rows.rows) {
          keys.add(shaRow.parse(row).sha);
        }
      }
    }
    return [...keys].sort();
  }

  /** The migrations applied to this database, oldest first. */
  async migrations(): Promise<string[]> {
    const rows = await sql`select name from kysely_migration order by name`.execute(this.db);
    return rows.rows.map((row) => nameRow.parse(row).name);
  }

  /** Whether the database holds no application tables yet (the only kind a restore writes into). */
  async isEmpty(): Promise<boolean> {
    const tables = await this.db.introspection.getTables({ withInternalKyselyTables: true });
    return tables.length === 0;
  }
}
