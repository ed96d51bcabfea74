import { type Kysely, sql, type Transaction } from 'kysely';
import type { DialectName } from '../db/dialect.ts';
import type { AssetRow, Database, NewAsset } from '../db/schema.ts';
import type { StorageMark, StorageReads } from './storage-quota.ts';

type Trx = Transaction<Database>;

/**
 * Blobs are shared by content, so a writer adding a reference and a purger deleting the last one
 * must not interleave. The purger checks and deletes under an exclusive lock of the blob; a writer
 * commits its reference under a shared lock of it, then makes sure the blob is still there. Either
 * the writer's row is visible to the purger's check, or the purger's delete happened before the
 * writer looked. PostgreSQL: advisory locks keyed by the sha256; SQLite: the database write lock,
 * which every transaction takes as it begins (db/database.ts), across processes too.
 */
export class AssetRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /**
   * Inserts the row and its lineage links in one transaction. `admit` reads the owner's storage
   * under a per-user lock (PostgreSQL; SQLite's write lock serializes anyway) and may refuse by
   * throwing, so two saves at once cannot both squeeze under the quota.
   */
  create(
    values: NewAsset,
    parentIds: number[],
    admit?: (reads: StorageReads) => Promise<void>,
  ): Promise<AssetRow> {
    return this.db.transaction().execute(async (trx) => {
      await this.lockShared(trx, [values.sha256, values.thumb_small_sha256, values.thumb_large_sha256]);
      if (admit) {
        if (this.dialect === 'postgres') {
          await sql`SELECT pg_advisory_xact_lock(${USER_STORAGE_LOCK}, ${values.user_id})`.execute(trx);
        }
        await admit(this.storageReads(values.user_id, trx));
      }
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

  /** The storage quota's reads of one user's rows, on `db` (the insert's transaction, or not). */
  storageReads(userId: number, db: Kysely<Database> = this.db): StorageReads {
    return {
      total: async () => {
        const perImage = db
          .selectFrom('assets')
          .select((eb) => [eb.fn.max('file_size').as('size'), eb.fn.max('id').as('newest')])
          .where('user_id', '=', userId)
          .groupBy('sha256')
          .as('per_image');
        const row = await db
          .selectFrom(perImage)
          .select((eb) => [eb.fn.sum<number>('size').as('used'), eb.fn.max('newest').as('max_id')])
          .executeTakeFirstOrThrow();
        return mark(row.used, row.max_id, 0);
      },
      since: async (afterId) => {
        // `+user_id` keeps SQLite on the primary key's range instead of walking the user's index.
        const row = await db
          .selectFrom('assets')
          .select((eb) => [eb.fn.sum<number>('file_size').as('used'), eb.fn.max('id').as('max_id')])
          .where('id', '>', afterId)
          .where(sql<number>`+user_id`, '=', userId)
          .executeTakeFirstOrThrow();
        return mark(row.used, row.max_id, afterId);
      },
      owned: async (shas) => {
        if (shas.length === 0) return new Set();
        const rows = await db
          .selectFrom('assets')
          .select('sha256')
          .distinct()
          .where('user_id', '=', userId)
          .where('sha256', 'in', shas)
          .execute();
        return new Set(rows.map((r) => r.sha256));
      },
    };
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
  async setThumbnails(
    id: number,
    t: { small: string; large: string; thumbhash: string | null },
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await this.lockShared(trx, [t.small, t.large]);
      const result = await trx
        .updateTable('assets')
        .set({ thumb_small_sha256: t.small, thumb_large_sha256: t.large, thumbhash: t.thumbhash })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
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

  /**
   * Runs `remove` (the blob's deletion) only if no row references the blob, under the blob's
   * exclusive lock, so no writer can commit a reference between the check and the deletion.
   * Returns whether it ran.
   */
  deleteBlobIfUnused(sha256: string, remove: () => Promise<void>): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') {
        await sql`SELECT pg_advisory_xact_lock(${lockKey(sha256)})`.execute(trx);
      }
      if (await this.blobInUse(sha256, trx)) return false;
      await remove();
      return true;
    });
  }

  /** Which of these blobs some row references (file or thumbnail, any user, trash included). */
  async blobsInUse(shas: string[]): Promise<Set<string>> {
    if (shas.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('assets')
      .select(['sha256', 'thumb_small_sha256', 'thumb_large_sha256'])
      .where((eb) =>
        eb.or([
          eb('sha256', 'in', shas),
          eb('thumb_small_sha256', 'in', shas),
          eb('thumb_large_sha256', 'in', shas),
        ]),
      )
      .execute();
    const wanted = new Set(shas);
    return new Set(
      rows
        .flatMap((r) => [r.sha256, r.thumb_small_sha256, r.thumb_large_sha256])
        .filter((sha): sha is string => sha !== null && wanted.has(sha)),
    );
  }

  private async lockShared(trx: Trx, shas: Array<string | null | undefined>): Promise<void> {
    if (this.dialect !== 'postgres') return;
    const keys = [...new Set(shas.filter((s): s is string => typeof s === 'string'))].sort();
    for (const sha of keys) {
      await sql`SELECT pg_advisory_xact_lock_shared(${lockKey(sha)})`.execute(trx);
    }
  }

  /** Whether any asset row (any user, trashed or not) still uses this blob as file or thumbnail. */
  async blobInUse(sha256: string, db: Kysely<Database> = this.db): Promise<boolean> {
    const row = await db
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

/** Aggregates are null over no rows, and PostgreSQL's sum is numeric. */
const mark = (used: unknown, maxId: unknown, noRows: number): StorageMark => ({
  used: Number(used ?? 0),
  maxId: maxId === null || maxId === undefined ? noRows : Number(maxId),
});

/**
 * The first key of the two-key advisory lock that serializes one user's quota checks; PostgreSQL keeps
 * two-key locks apart from the blobs' one-key locks.
 */
const USER_STORAGE_LOCK = 0x51_07a;

/** The advisory lock of one blob: the sha256's first 64 bits as a signed bigint. */
const lockKey = (sha256: string) => sql`('x' || substr(${sha256}, 1, 16))::bit(64)::bigint`;
