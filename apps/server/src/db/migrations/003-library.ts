import { type Kysely, sql } from 'kysely';
import { addIdColumn, type DialectName } from '../dialect.ts';

/**
 * Asset library: collections, the indexes behind listing/filtering/statistics on large libraries,
 * and full-text search (SQLite FTS5 external-content table kept by triggers | PostgreSQL generated
 * tsvector with GIN). Listing indexes are partial on live rows (`deleted_at IS NULL`): every library
 * query carries that term, and trashed rows stay out of the counts' index scans.
 */
export function library(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await addIdColumn(db.schema.createTable('collections'), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cover_asset_id', 'integer', (c) => c.references('assets.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('collections_user_idx')
        .on('collections')
        .columns(['user_id', 'created_at'])
        .execute();

      const live = 'WHERE deleted_at IS NULL';
      const indexes = [
        // The narrowest index of live rows: what `total` counts scan.
        `CREATE INDEX assets_live_user_idx ON assets (user_id) ${live}`,
        `CREATE INDEX assets_live_created_idx ON assets (user_id, created_at, id) ${live}`,
        `CREATE INDEX assets_live_updated_idx ON assets (user_id, updated_at, id) ${live}`,
        `CREATE INDEX assets_live_cost_idx ON assets (user_id, cost_credits, id) ${live}`,
        `CREATE INDEX assets_live_size_idx ON assets (user_id, file_size, id) ${live}`,
        `CREATE INDEX assets_live_title_idx ON assets (user_id, (coalesce(title, '')), id) ${live}`,
        `CREATE INDEX assets_live_fav_idx ON assets (user_id, is_favorite, created_at, id) ${live}`,
        `CREATE INDEX assets_live_provider_idx ON assets (user_id, provider, created_at, id) ${live}`,
        `CREATE INDEX assets_live_model_idx ON assets (user_id, model, created_at, id) ${live}`,
        `CREATE INDEX assets_live_type_idx ON assets (user_id, asset_type, source_module, created_at, id) ${live}`,
        // Covers the statistics query: one index-only pass instead of reading 100k rows.
        `CREATE INDEX assets_live_stats_idx ON assets (user_id, asset_type, source_module, provider, cost_credits, is_favorite) ${live}`,
        'CREATE INDEX assets_collection_idx ON assets (collection_id, created_at, id) WHERE collection_id IS NOT NULL',
        'CREATE INDEX assets_trash_idx ON assets (user_id, deleted_at, id) WHERE deleted_at IS NOT NULL',
        'CREATE INDEX assets_trash_sweep_idx ON assets (deleted_at) WHERE deleted_at IS NOT NULL',
      ];
      for (const statement of indexes) {
        await sql.raw(statement).execute(db);
      }

      await createTagIndex(db, dialect);
      await createLiveCounts(db, dialect);
      if (dialect === 'sqlite') {
        await createSqliteSearch(db);
      } else {
        await createPostgresSearch(db);
      }
    },
  };
}

/**
 * `asset_tags`: one row per (asset, tag), kept by triggers from the JSON `tags` column, plus a
 * `platform:<name>` row for social exports whose params name a platform. Filtering by tag or platform
 * is then an index lookup instead of parsing every row's JSON.
 */
async function createTagIndex(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('asset_tags')
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('asset_tags_pk', ['user_id', 'tag', 'asset_id'])
    .execute();
  await db.schema.createIndex('asset_tags_asset_idx').on('asset_tags').column('asset_id').execute();
  const statements =
    dialect === 'sqlite'
      ? [
          `CREATE TRIGGER asset_tags_ai AFTER INSERT ON assets BEGIN
             INSERT OR IGNORE INTO asset_tags (asset_id, user_id, tag)
               SELECT new.id, new.user_id, value FROM json_each(new.tags) WHERE type = 'text'
               UNION SELECT new.id, new.user_id, 'platform:' || json_extract(new.params, '$.platform')
                 WHERE json_type(new.params, '$.platform') = 'text';
           END`,
          `CREATE TRIGGER asset_tags_au AFTER UPDATE OF tags, params ON assets BEGIN
             DELETE FROM asset_tags WHERE asset_id = old.id;
             INSERT OR IGNORE INTO asset_tags (asset_id, user_id, tag)
               SELECT new.id, new.user_id, value FROM json_each(new.tags) WHERE type = 'text'
               UNION SELECT new.id, new.user_id, 'platform:' || json_extract(new.params, '$.platform')
                 WHERE json_type(new.params, '$.platform') = 'text';
           END`,
          `INSERT OR IGNORE INTO asset_tags (asset_id, user_id, tag)
             SELECT assets.id, assets.user_id, j.value FROM assets, json_each(assets.tags) j WHERE j.type = 'text'
             UNION SELECT id, user_id, 'platform:' || json_extract(params, '$.platform') FROM assets
               WHERE json_type(params, '$.platform') = 'text'`,
        ]
      : [
          `CREATE FUNCTION asset_tags_sync() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF TG_OP = 'UPDATE' THEN
               DELETE FROM asset_tags WHERE asset_id = OLD.id;
             END IF;
             INSERT INTO asset_tags (asset_id, user_id, tag)
               SELECT NEW.id, NEW.user_id, t FROM jsonb_array_elements_text(NEW.tags::jsonb) AS t
               UNION SELECT NEW.id, NEW.user_id, 'platform:' || (NEW.params::jsonb ->> 'platform')
                 WHERE jsonb_typeof(NEW.params::jsonb -> 'platform') = 'string'
             ON CONFLICT DO NOTHING;
             RETURN NULL;
           END $$`,
          `CREATE TRIGGER asset_tags_sync AFTER INSERT OR UPDATE OF tags, params ON assets
             FOR EACH ROW EXECUTE FUNCTION asset_tags_sync()`,
          `INSERT INTO asset_tags (asset_id, user_id, tag)
             SELECT a.id, a.user_id, t FROM assets a, jsonb_array_elements_text(a.tags::jsonb) AS t
             UNION SELECT id, user_id, 'platform:' || (params::jsonb ->> 'platform') FROM assets
               WHERE jsonb_typeof(params::jsonb -> 'platform') = 'string'
           ON CONFLICT DO NOTHING`,
        ];
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

/**
 * `asset_counts`: each user's number of live assets, kept by triggers in the same transaction as the
 * change, so the unfiltered library's `total` is one row read instead of counting 100k index entries.
 */
async function createLiveCounts(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('asset_counts')
    .addColumn('user_id', 'integer', (c) => c.primaryKey())
    .addColumn('live', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  const upsert = (user: string) =>
    `INSERT INTO asset_counts (user_id, live) VALUES (${user}, 1)
       ON CONFLICT (user_id) DO UPDATE SET live = asset_counts.live + 1`;
  const statements =
    dialect === 'sqlite'
      ? [
          `CREATE TRIGGER asset_counts_ai AFTER INSERT ON assets WHEN new.deleted_at IS NULL BEGIN
             ${upsert('new.user_id')};
           END`,
          `CREATE TRIGGER asset_counts_ad AFTER DELETE ON assets WHEN old.deleted_at IS NULL BEGIN
             UPDATE asset_counts SET live = live - 1 WHERE user_id = old.user_id;
           END`,
          `CREATE TRIGGER asset_counts_trash AFTER UPDATE OF deleted_at ON assets
             WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL BEGIN
             UPDATE asset_counts SET live = live - 1 WHERE user_id = old.user_id;
           END`,
          `CREATE TRIGGER asset_counts_restore AFTER UPDATE OF deleted_at ON assets
             WHEN old.deleted_at IS NOT NULL AND new.deleted_at IS NULL BEGIN
             ${upsert('new.user_id')};
           END`,
        ]
      : [
          // Statement-level with transition tables: one upsert per statement and user, so a bulk
          // insert of 100k rows does not rewrite the same counter row 100k times in one transaction.
          countsFunction(
            'asset_counts_ins',
            'SELECT user_id, 1 AS delta FROM new_rows WHERE deleted_at IS NULL',
          ),
          countsFunction(
            'asset_counts_del',
            'SELECT user_id, -1 AS delta FROM old_rows WHERE deleted_at IS NULL',
          ),
          countsFunction(
            'asset_counts_upd',
            `SELECT user_id, 1 AS delta FROM new_rows WHERE deleted_at IS NULL
             UNION ALL SELECT user_id, -1 AS delta FROM old_rows WHERE deleted_at IS NULL`,
          ),
          `CREATE TRIGGER asset_counts_ins AFTER INSERT ON assets REFERENCING NEW TABLE AS new_rows
             FOR EACH STATEMENT EXECUTE FUNCTION asset_counts_ins()`,
          `CREATE TRIGGER asset_counts_del AFTER DELETE ON assets REFERENCING OLD TABLE AS old_rows
             FOR EACH STATEMENT EXECUTE FUNCTION asset_counts_del()`,
          `CREATE TRIGGER asset_counts_upd AFTER UPDATE ON assets
             REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
             FOR EACH STATEMENT EXECUTE FUNCTION asset_counts_upd()`,
        ];
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
  await sql
    .raw(
      `INSERT INTO asset_counts (user_id, live)
         SELECT user_id, count(*) FROM assets WHERE deleted_at IS NULL GROUP BY user_id`,
    )
    .execute(db);
}

function countsFunction(name: string, deltas: string): string {
  return `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO asset_counts (user_id, live)
        SELECT user_id, sum(delta) FROM (${deltas}) AS d GROUP BY user_id HAVING sum(delta) <> 0
      ON CONFLICT (user_id) DO UPDATE SET live = asset_counts.live + excluded.live;
      RETURN NULL;
    END $$`;
}

const FTS_COLUMNS = ['title', 'description', 'prompt', 'tags', 'provider', 'model'] as const;

async function createSqliteSearch(db: Kysely<unknown>): Promise<void> {
  const cols = FTS_COLUMNS.join(', ');
  const values = (prefix: 'new' | 'old') => FTS_COLUMNS.map((c) => `${prefix}.${c}`).join(', ');
  const statements = [
    `CREATE VIRTUAL TABLE assets_fts USING fts5(${cols}, content='assets', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`,
    // Column weights for bm25, in FTS_COLUMNS order: a title or tag hit outranks a prompt hit.
    "INSERT INTO assets_fts(assets_fts, rank) VALUES('rank', 'bm25(10.0, 2.0, 4.0, 8.0, 1.0, 1.0)')",
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
 * PostgreSQL search uses its own configuration `studio_search`: english stemming and stop words, plus
 * accent folding through `unaccent` when that (trusted, contrib) extension is installed, so "creme"
 * finds "Crème" as it does with FTS5's remove_diacritics.
 */
async function createPostgresSearch(db: Kysely<unknown>): Promise<void> {
  await sql.raw('CREATE TEXT SEARCH CONFIGURATION studio_search (COPY = pg_catalog.english)').execute(db);
  const available = await sql<{ name: string }>`
    select name from pg_available_extensions where name = 'unaccent'`.execute(db);
  if (available.rows.length > 0) {
    await sql.raw('CREATE EXTENSION IF NOT EXISTS unaccent').execute(db);
    await sql
      .raw(
        'ALTER TEXT SEARCH CONFIGURATION studio_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem',
      )
      .execute(db);
  }
  const doc = (column: string, weight: string) =>
    `setweight(to_tsvector('studio_search'::regconfig, coalesce(${column}, '')), '${weight}')`;
  await sql
    .raw(
      `ALTER TABLE assets ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
         ${doc('title', 'A')} || ${doc('tags', 'A')} || ${doc('prompt', 'B')} ||
         ${doc('description', 'C')} || ${doc('provider', 'D')} || ${doc('model', 'D')}
       ) STORED`,
    )
    .execute(db);
  await sql.raw('CREATE INDEX assets_search_idx ON assets USING GIN (search_tsv)').execute(db);
}
