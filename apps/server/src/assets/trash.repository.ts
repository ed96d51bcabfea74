import type { Kysely } from 'kysely';
import type { AssetRow, Database } from '../db/schema.ts';
import { ASSET_COLUMNS, type LibraryDatabase, libraryDb } from './library.tables.ts';

/** The trash: moving rows in and out, and deleting them for good (the caller releases the blobs). */
export class TrashRepository {
  private readonly db: Kysely<LibraryDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = libraryDb(db);
  }

  /** Moves live rows to the trash; returns the ids moved. */
  async trash(userId: number, ids: number[], now: string): Promise<number[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await this.db
      .updateTable('assets')
      .set({ deleted_at: now, updated_at: now })
      .where('user_id', '=', userId)
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async restore(userId: number, id: number, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('assets')
      .set({ deleted_at: null, updated_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is not', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Deletes rows for good and returns them, so the caller can release their blobs. */
  async purge(userId: number | undefined, ids: number[]): Promise<AssetRow[]> {
    if (ids.length === 0) {
      return [];
    }
    let q = this.db.deleteFrom('assets').where('id', 'in', ids);
    if (userId !== undefined) {
      q = q.where('user_id', '=', userId);
    }
    return q.returning(ASSET_COLUMNS).execute();
  }

  /** Ids of the owner's assets, trashed or not. */
  async idsOf(userId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select('id')
      .where('user_id', '=', userId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Ids of the owner's trash, or (without owner) of rows trashed before `before`. */
  async trashedIds(options: { userId?: number; before?: string; limit: number }): Promise<number[]> {
    let q = this.db
      .selectFrom('assets')
      .select('id')
      .where('deleted_at', 'is not', null)
      .orderBy('deleted_at')
      .limit(options.limit);
    if (options.userId !== undefined) q = q.where('user_id', '=', options.userId);
    if (options.before !== undefined) q = q.where('deleted_at', '<', options.before);
    const rows = await q.execute();
    return rows.map((r) => r.id);
  }
}
