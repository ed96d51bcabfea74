import type { Generated, Kysely, Selectable } from 'kysely';
import type { AssetsTable, Database } from '../db/schema.ts';

/** Tables added by migration 003-library, seen only by the library's repositories. */
export interface CollectionsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  description: string | null;
  is_public: number;
  cover_asset_id: number | null;
  created_at: string;
  updated_at: string;
}

/** The SQLite FTS5 index over assets; `rank` is bm25 with the column weights set by the migration. */
export interface AssetsFtsTable {
  rowid: number;
  rank: number;
  assets_fts: string;
}

/** One row per (asset, tag) and `platform:<name>` per social export; kept by triggers. */
export interface AssetTagsTable {
  asset_id: number;
  user_id: number;
  tag: string;
}

/** Live assets per user, kept by triggers (migration 003). */
export interface AssetCountsTable {
  user_id: number;
  live: number;
}

/** PostgreSQL: each live asset's search document in a narrow table, kept by triggers (migration 014). */
export interface AssetSearchTable {
  asset_id: number;
  user_id: number;
  search_tsv: string;
}

/** PostgreSQL: each lexeme of a live document with its one-word rank, kept by triggers (migration 016). */
export interface AssetSearchTermsTable {
  asset_id: number;
  user_id: number;
  rank: number;
  lexeme: string;
}

/** A type alias, not an interface: `withTables` needs an index-signature-compatible record. */
type LibraryTables = {
  collections: CollectionsTable;
  assets_fts: AssetsFtsTable;
  asset_tags: AssetTagsTable;
  asset_counts: AssetCountsTable;
  asset_search: AssetSearchTable;
  asset_search_terms: AssetSearchTermsTable;
};

export type LibraryDatabase = Database & LibraryTables;
export type CollectionRow = Selectable<CollectionsTable>;

export const libraryDb = (db: Kysely<Database>): Kysely<LibraryDatabase> => db.withTables<LibraryTables>();

/**
 * Every asset column by name: PostgreSQL also has the generated `search_tsv`, which listing must not
 * drag along, so queries name their columns instead of `select *`.
 */
export const ASSET_COLUMNS = [
  'assets.id',
  'assets.user_id',
  'assets.asset_type',
  'assets.source_module',
  'assets.operation',
  'assets.provider',
  'assets.model',
  'assets.prompt',
  'assets.title',
  'assets.description',
  'assets.params',
  'assets.width',
  'assets.height',
  'assets.format',
  'assets.mime_type',
  'assets.file_size',
  'assets.sha256',
  'assets.thumb_small_sha256',
  'assets.thumb_large_sha256',
  'assets.thumbhash',
  'assets.cost_credits',
  'assets.is_favorite',
  'assets.tags',
  'assets.collection_id',
  'assets.download_count',
  'assets.share_count',
  'assets.access_count',
  'assets.last_accessed',
  'assets.deleted_at',
  'assets.created_at',
  'assets.updated_at',
] as const satisfies ReadonlyArray<`assets.${keyof AssetsTable}`>;
