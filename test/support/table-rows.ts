import { type Kysely, sql } from 'kysely';

export type TableRows = Record<string, string[]>;

/**
 * Every row of every table, each row as sorted-key JSON and each table's rows sorted: two
 * databases hold the same data exactly when these are equal. The SQLite FTS index (virtual table
 * and its shadow tables) is left out; tests check search through the API instead.
 */
export async function tableRows<DB>(
  db: Kysely<DB>,
  keep: (table: string, row: Record<string, unknown>) => boolean = () => true,
): Promise<TableRows> {
  const out: TableRows = {};
  for (const table of await db.introspection.getTables()) {
    if (table.isView || table.name.startsWith('assets_fts')) {
      continue;
    }
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(db);
    out[table.name] = result.rows
      .filter((row) => keep(table.name, row))
      .map((row) =>
        JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)))),
      )
      .sort();
  }
  return out;
}
