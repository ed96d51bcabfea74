import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type LibraryDatabase, libraryDb } from './library.tables.ts';

/** Edits of library rows: details, favourites, collection moves, tags and usage counters, owner-scoped. */
export class LibraryEditRepository {
  private readonly db: Kysely<LibraryDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = libraryDb(db);
  }

  async update(
    userId: number,
    id: number,
    values: {
      title?: string | null;
      description?: string | null;
      tags?: string;
      params?: string;
      collection_id?: number | null;
    },
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({ ...values, updated_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .execute();
  }

  async toggleFavorite(userId: number, id: number, now: string): Promise<boolean | undefined> {
    const row = await this.db
      .updateTable('assets')
      .set((eb) => ({ is_favorite: eb(eb.val(1), '-', eb.ref('is_favorite')), updated_at: now }))
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .returning('is_favorite')
      .executeTakeFirst();
    return row === undefined ? undefined : row.is_favorite === 1;
  }

  /** Sets a column on the owner's live rows among `ids`; returns the ids it changed. */
  async setMany(
    userId: number,
    ids: number[],
    values: { is_favorite?: number; collection_id?: number | null },
    now: string,
  ): Promise<number[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await this.db
      .updateTable('assets')
      .set({ ...values, updated_at: now })
      .where('user_id', '=', userId)
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async setTags(userId: number, tagsById: Map<number, string[]>, now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [id, tags] of tagsById) {
        await trx
          .updateTable('assets')
          .set({ tags: JSON.stringify(tags), updated_at: now })
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .execute();
      }
    });
  }

  async trackUsage(
    userId: number,
    ids: number[],
    action: 'download' | 'share' | 'access',
    now: string,
  ): Promise<number[]> {
    if (ids.length === 0) {
      return [];
    }
    const column =
      action === 'download' ? 'download_count' : action === 'share' ? 'share_count' : 'access_count';
    const rows = await this.db
      .updateTable('assets')
      .set((eb) => ({ [column]: eb(eb.ref(column), '+', 1), last_accessed: now }))
      .where('user_id', '=', userId)
      .where('id', 'in', ids)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }
}
