import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Table of migration 010, seen only by this repository. */
export interface ShareLinksTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  collection_id: number | null;
  asset_id: number | null;
  password_hash: string | null;
  allow_download: number;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}
export type ShareLinkRow = Selectable<ShareLinksTable>;

type SharingTables = { share_links: ShareLinksTable };

/** What a public page may show of one shared asset. */
export interface SharedAssetRow {
  id: number;
  title: string | null;
  width: number;
  height: number;
}

/** The gallery's upper bound: a share page is a page, not an export of the whole library. */
export const GALLERY_LIMIT = 500;

export class ShareLinkRepository {
  private readonly db: Kysely<Database & SharingTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<SharingTables>();
  }

  async create(values: Omit<ShareLinkRow, 'id' | 'revoked_at'>): Promise<ShareLinkRow> {
    return this.db
      .insertInto('share_links')
      .values({ ...values, revoked_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  list(userId: number): Promise<ShareLinkRow[]> {
    return this.db
      .selectFrom('share_links')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  findOwned(userId: number, id: number): Promise<ShareLinkRow | undefined> {
    return this.db
      .selectFrom('share_links')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  async revoke(userId: number, id: number, now: string): Promise<void> {
    await this.db
      .updateTable('share_links')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** A link that opens now: not revoked, not expired, and its owner's account still enabled. */
  findOpen(tokenHash: string, now: string): Promise<ShareLinkRow | undefined> {
    return this.db
      .selectFrom('share_links')
      .innerJoin('users', 'users.id', 'share_links.user_id')
      .selectAll('share_links')
      .where('share_links.token_hash', '=', tokenHash)
      .where('share_links.revoked_at', 'is', null)
      .where('share_links.expires_at', '>', now)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
  }

  collectionName(link: ShareLinkRow): Promise<string | undefined> {
    return this.db
      .withTables<{ collections: { id: number; user_id: number; name: string } }>()
      .selectFrom('collections')
      .select('name')
      .where('id', '=', link.collection_id ?? 0)
      .where('user_id', '=', link.user_id)
      .executeTakeFirst()
      .then((row) => row?.name);
  }

  private sharedQuery(link: ShareLinkRow) {
    const query = this.db
      .selectFrom('assets')
      .select(['id', 'title', 'width', 'height'])
      .where('user_id', '=', link.user_id)
      .where('deleted_at', 'is', null);
    return link.asset_id !== null
      ? query.where('id', '=', link.asset_id)
      : query.where('collection_id', '=', link.collection_id ?? 0);
  }

  /** The link's live assets, newest first; nothing outside its one asset or collection. */
  sharedAssets(link: ShareLinkRow): Promise<SharedAssetRow[]> {
    return this.sharedQuery(link)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(GALLERY_LIMIT)
      .execute();
  }

  /** One asset through the link, or undefined when the link does not cover it. */
  sharedAsset(link: ShareLinkRow, assetId: number): Promise<SharedAssetRow | undefined> {
    return this.sharedQuery(link).where('id', '=', assetId).executeTakeFirst();
  }
}
