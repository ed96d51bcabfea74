import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type CollectionRow, type LibraryDatabase, libraryDb } from './library.tables.ts';

export interface CollectionWithCount extends CollectionRow {
  asset_count: number;
}

/** Collections (albums). An asset belongs to at most one, via `assets.collection_id`, as in the original. */
export class CollectionRepository {
  private readonly db: Kysely<LibraryDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = libraryDb(db);
  }

  private withCount() {
    return this.db
      .selectFrom('collections')
      .selectAll('collections')
      .select((eb) =>
        eb
          .selectFrom('assets')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('assets.collection_id', '=', 'collections.id')
          .whereRef('assets.user_id', '=', 'collections.user_id')
          .where('assets.deleted_at', 'is', null)
          .as('asset_count'),
      );
  }

  async create(values: {
    user_id: number;
    name: string;
    description: string | null;
    is_public: number;
    now: string;
  }): Promise<number> {
    const row = await this.db
      .insertInto('collections')
      .values({
        user_id: values.user_id,
        name: values.name,
        description: values.description,
        is_public: values.is_public,
        cover_asset_id: null,
        created_at: values.now,
        updated_at: values.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findOwned(userId: number, id: number): Promise<CollectionWithCount | undefined> {
    const row = await this.withCount()
      .where('collections.id', '=', id)
      .where('collections.user_id', '=', userId)
      .executeTakeFirst();
    return row && { ...row, asset_count: Number(row.asset_count ?? 0) };
  }

  async list(
    userId: number,
    limit: number,
    offset: number,
  ): Promise<{ rows: CollectionWithCount[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.withCount()
        .where('collections.user_id', '=', userId)
        .orderBy('collections.created_at', 'desc')
        .orderBy('collections.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      this.db
        .selectFrom('collections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      rows: rows.map((r) => ({ ...r, asset_count: Number(r.asset_count ?? 0) })),
      total: Number(total.n),
    };
  }

  async update(
    userId: number,
    id: number,
    values: {
      name?: string;
      description?: string | null;
      is_public?: number;
      cover_asset_id?: number | null;
    },
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('collections')
      .set({ ...values, updated_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .execute();
  }

  /** Deletes the collection and detaches its assets (they stay in the library); returns how many. */
  async delete(userId: number, id: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const detached = await trx
        .updateTable('assets')
        .set({ collection_id: null })
        .where('collection_id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      await trx.deleteFrom('collections').where('id', '=', id).where('user_id', '=', userId).execute();
      return Number(detached.numUpdatedRows);
    });
  }
}
