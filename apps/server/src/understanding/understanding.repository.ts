import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Tables of migration 011, seen only by this repository. */
interface AssetAnalysisTable {
  asset_id: number;
  user_id: number;
  phash: string | null;
  palette: string;
  error: string | null;
  analyzed_at: string;
}
interface AssetColorsTable {
  asset_id: number;
  user_id: number;
  l: number;
  a: number;
  b: number;
  share: number;
}
type UnderstandingTables = { asset_analysis: AssetAnalysisTable; asset_colors: AssetColorsTable };
export type AnalysisRow = AssetAnalysisTable;

/** A live image not analysed yet. */
export interface PendingAsset {
  id: number;
  user_id: number;
  sha256: string;
  width: number;
  height: number;
}

export interface AnalysisResult {
  phash: string | null;
  palette: string;
  error: string | null;
  colours: Array<{ l: number; a: number; b: number; share: number }>;
}

export class UnderstandingRepository {
  private readonly db: Kysely<Database & UnderstandingTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<UnderstandingTables>();
  }

  private pendingQuery(userId?: number) {
    let query = this.db
      .selectFrom('assets')
      .where('assets.deleted_at', 'is', null)
      .where('assets.asset_type', '=', 'image')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('asset_analysis').select('asset_id').whereRef('asset_id', '=', 'assets.id'))),
      );
    if (userId !== undefined) query = query.where('assets.user_id', '=', userId);
    return query;
  }

  /** Live images without analysis after `afterId`, oldest first. */
  pending(afterId: number, limit: number, userId?: number): Promise<PendingAsset[]> {
    return this.pendingQuery(userId)
      .select(['assets.id', 'assets.user_id', 'assets.sha256', 'assets.width', 'assets.height'])
      .where('assets.id', '>', afterId)
      .orderBy('assets.id')
      .limit(limit)
      .execute();
  }

  async countPending(userId: number): Promise<number> {
    const row = await this.pendingQuery(userId)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Stores one asset's analysis and its colour rows; a second writer of the same asset changes nothing. */
  async save(asset: PendingAsset, result: AnalysisResult, now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('asset_analysis')
        .values({
          asset_id: asset.id,
          user_id: asset.user_id,
          phash: result.phash,
          palette: result.palette,
          error: result.error,
          analyzed_at: now,
        })
        .onConflict((oc) => oc.column('asset_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0 || result.colours.length === 0) return;
      await trx
        .insertInto('asset_colors')
        .values(result.colours.map((c) => ({ asset_id: asset.id, user_id: asset.user_id, ...c })))
        .execute();
    });
  }

  find(userId: number, assetId: number): Promise<AnalysisRow | undefined> {
    return this.db
      .selectFrom('asset_analysis')
      .selectAll()
      .where('asset_id', '=', assetId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** Sets of live images sharing the same bytes: sha256 → ids, oldest first. */
  async exactCopies(userId: number): Promise<Array<{ sha256: string; ids: number[] }>> {
    const shas = this.db
      .selectFrom('assets')
      .select('sha256')
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .groupBy('sha256')
      .having(sql<number>`count(*)`, '>', 1);
    const rows = await this.db
      .selectFrom('assets')
      .select(['id', 'sha256'])
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .where('sha256', 'in', shas)
      .orderBy('sha256')
      .orderBy('id')
      .execute();
    const groups = new Map<string, number[]>();
    for (const row of rows) groups.set(row.sha256, [...(groups.get(row.sha256) ?? []), row.id]);
    return [...groups].map(([sha256, ids]) => ({ sha256, ids }));
  }

  /** Every live analysed image's hash, one per distinct sha256 (the oldest asset stands for its copies). */
  hashes(userId: number): Promise<Array<{ id: number; sha256: string; phash: string }>> {
    return this.db
      .selectFrom('assets')
      .innerJoin('asset_analysis', 'asset_analysis.asset_id', 'assets.id')
      .select(['assets.id', 'assets.sha256', 'asset_analysis.phash'])
      .where('assets.user_id', '=', userId)
      .where('assets.deleted_at', 'is', null)
      .where('asset_analysis.phash', 'is not', null)
      .orderBy('assets.id')
      .execute()
      .then((rows) => rows.flatMap((r) => (r.phash ? [{ id: r.id, sha256: r.sha256, phash: r.phash }] : [])));
  }
}
