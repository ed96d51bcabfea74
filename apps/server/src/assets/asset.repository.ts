import type { Kysely } from 'kysely';
import type { AssetRow, Database, NewAsset } from '../db/schema.ts';

export class AssetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts the row and its lineage links in one transaction. */
  create(values: NewAsset, parentIds: number[]): Promise<AssetRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('assets').values(values).returningAll().executeTakeFirstOrThrow();
      if (parentIds.length > 0) {
        await trx
          .insertInto('asset_parents')
          .values([...new Set(parentIds)].map((parent_id) => ({ asset_id: row.id, parent_id })))
          .execute();
      }
      return row;
    });
  }

  /** The owner's asset, or undefined for a missing id or another user's asset. */
  findOwned(userId: number, id: number): Promise<AssetRow | undefined> {
    return this.db
      .selectFrom('assets')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  findLiveBySha(userId: number, sha256: string): Promise<AssetRow | undefined> {
    return this.db
      .selectFrom('assets')
      .selectAll()
      .where('user_id', '=', userId)
      .where('sha256', '=', sha256)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .executeTakeFirst();
  }

  /** Thumbnails already made for these exact bytes (by any upload: they depend only on the bytes). */
  thumbnailsOf(sha256: string) {
    return this.db
      .selectFrom('assets')
      .select(['thumb_small_sha256', 'thumb_large_sha256', 'thumbhash'])
      .where('sha256', '=', sha256)
      .where('thumb_small_sha256', 'is not', null)
      .where('thumb_large_sha256', 'is not', null)
      .limit(1)
      .executeTakeFirst();
  }

  /** False when the row no longer exists. */
  async setThumbnails(id: number, t: { small: string; large: string; thumbhash: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('assets')
      .set({ thumb_small_sha256: t.small, thumb_large_sha256: t.large, thumbhash: t.thumbhash })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Rows (any user, trash included) whose thumbnails were deferred and never made. */
  missingThumbnails() {
    return this.db
      .selectFrom('assets')
      .select(['id', 'sha256'])
      .where((eb) => eb.or([eb('thumb_small_sha256', 'is', null), eb('thumb_large_sha256', 'is', null)]))
      .orderBy('id')
      .execute();
  }

  async parentIds(assetIds: number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    if (assetIds.length === 0) {
      return out;
    }
    const rows = await this.db
      .selectFrom('asset_parents')
      .select(['asset_id', 'parent_id'])
      .where('asset_id', 'in', assetIds)
      .orderBy('parent_id')
      .execute();
    for (const r of rows) {
      out.set(r.asset_id, [...(out.get(r.asset_id) ?? []), r.parent_id]);
    }
    return out;
  }

  async deleteOwned(userId: number, id: number): Promise<AssetRow | undefined> {
    const row = await this.findOwned(userId, id);
    if (!row) {
      return undefined;
    }
    await this.db.deleteFrom('assets').where('id', '=', id).where('user_id', '=', userId).execute();
    return row;
  }

  /** Whether any asset row (any user, trashed or not) still uses this blob as file or thumbnail. */
  async blobInUse(sha256: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('assets')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('sha256', '=', sha256),
          eb('thumb_small_sha256', '=', sha256),
          eb('thumb_large_sha256', '=', sha256),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
