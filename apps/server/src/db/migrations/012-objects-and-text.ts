import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Objects and text found in images, searchable beside what users typed:
 * - `asset_auto_tags`: automatic tags with their detector's score, one row per (asset, label), kept
 *   apart from the user's own `tags`; `removed` = 1 when the user took the tag off, so a later
 *   analysis does not bring it back.
 * - `assets.auto_text`: the live automatic tags and the recognised text in one column, part of both
 *   search documents with the lowest weight (a typed title, tag or prompt outranks it).
 * - `asset_analysis.version`: which analysis made the row (1 = hash and palette of migration 011,
 *   2 = also objects and text), so images analysed before are picked up again by the backfill;
 *   `text` the recognised text as shown in the drawer.
 */
export function objectsAndText(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('asset_auto_tags')
        .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('score', 'real', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('removed', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('asset_auto_tags_pk', ['asset_id', 'label'])
        .execute();
      await db.schema
        .createIndex('asset_auto_tags_user_idx')
        .on('asset_auto_tags')
        .columns(['user_id', 'label'])
        .execute();
      await db.schema
        .alterTable('asset_analysis')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('asset_analysis').addColumn('text', 'text').execute();
      await db.schema.alterTable('assets').addColumn('auto_text', 'text').execute();
      if (dialect === 'sqlite') {
        await rebuildSqliteSearch(db);
      } else {
        await rebuildPostgresSearch(db);
      }
    },
  };
}

/** FTS5 columns in order; the bm25 weights below follow it. Migration 003's list plus `auto_text`. */
const FTS_COLUMNS = ['title', 'description', 'prompt', 'tags', 'provider', 'model', 'auto_text'] as const;

/** An FTS5 table cannot gain a column: it is made again with the same name, triggers and weights. */
async function rebuildSqliteSearch(db: Kysely<unknown>): Promise<void> {
  const cols = FTS_COLUMNS.join(', ');
  const values = (prefix: 'new' | 'old') => FTS_COLUMNS.map((c) => `${prefix}.${c}`).join(', ');
  const statements = [
    'DROP TRIGGER assets_fts_ai',
    'DROP TRIGGER assets_fts_ad',
    'DROP TRIGGER assets_fts_au',
    'DROP TABLE assets_fts',
    `CREATE VIRTUAL TABLE assets_fts USING fts5(${cols}, content='assets', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`,
    "INSERT INTO assets_fts(assets_fts, rank) VALUES('rank', 'bm25(10.0, 2.0, 4.0, 8.0, 1.0, 1.0, 0.5)')",
    `CREATE TRIGGER assets_fts_ai AFTER INSERT ON assets BEGIN
       INSERT INTO assets_fts(rowid, ${cols}) VALUES (new.id, ${values('new')});
     END`,
    `CREATE TRIGGER assets_fts_ad AFTER DELETE ON assets BEGIN
       INSERT INTO assets_fts(assets_fts, rowid, ${cols}) VALUES ('delete', old.id, ${values('old')});
     END`,
    `CREATE TRIGGER assets_fts_au AFTER UPDATE OF ${cols} ON assets BEGIN
       INSERT INTO assets_fts(assets_fts, rowid, ${cols}) VALUES ('delete', old.id, ${values('old')});
       INSERT INTO assets_fts(rowid, ${cols}) VALUES (new.id, ${values('new')});
     END`,
    "INSERT INTO assets_fts(assets_fts) VALUES ('rebuild')",
  ];
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

/**
 * A generated column's expression cannot be altered: `search_tsv` (and its GIN index) is dropped
 * and added again with `auto_text` at weight D, the lowest, beside provider and model.
 */
async function rebuildPostgresSearch(db: Kysely<unknown>): Promise<void> {
  const doc = (column: string, weight: string) =>
    `setweight(to_tsvector('studio_search'::regconfig, coalesce(${column}, '')), '${weight}')`;
  await sql.raw('ALTER TABLE assets DROP COLUMN search_tsv').execute(db);
  await sql
    .raw(
      `ALTER TABLE assets ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
         ${doc('title', 'A')} || ${doc('tags', 'A')} || ${doc('prompt', 'B')} ||
         ${doc('description', 'C')} || ${doc('provider', 'D')} || ${doc('model', 'D')} ||
         ${doc('auto_text', 'D')}
       ) STORED`,
    )
    .execute(db);
  await sql.raw('CREATE INDEX assets_search_idx ON assets USING GIN (search_tsv)').execute(db);
}
