import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { autoText, type FoundTag } from './auto-tags.ts';

/**
 * What `analyze` finds today (2: hash, palette, objects, text); rows of an older analysis (1: hash
 * and palette only) count as pending, so the backfill brings every image up to date.
 */
export const ANALYSIS_VERSION = 2;

/** Tables of migrations 011 and 012, seen only by this repository. */
interface AssetAnalysisTable {
  asset_id: number;
  user_id: number;
  phash: string | null;
  palette: string;
  error: string | null;
  analyzed_at: string;
  version: number;
  /** Recognised text, lines by newlines; null when none was found. */
  text: string | null;
}
interface AssetColorsTable {
  asset_id: number;
  user_id: number;
  l: number;
  a: number;
  b: number;
  share: number;
}
interface AssetAutoTagsTable {
  asset_id: number;
  user_id: number;
  label: string;
  score: number;
  source: string;
  /** 1 once the user took the tag off: later analyses update it but never show it again. */
  removed: number;
}
type UnderstandingTables = {
  asset_analysis: AssetAnalysisTable;
  asset_colors: AssetColorsTable;
  asset_auto_tags: AssetAutoTagsTable;
  /** The search document's automatic part (migration 012), written only here. */
  assets: { auto_text: string | null };
};
export type AnalysisRow = AssetAnalysisTable;
export interface AutoTagRow {
  label: string;
  score: number;
  source: string;
}

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
  text: string | null;
  tags: FoundTag[];
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
        not(
          exists(
            selectFrom('asset_analysis')
              .select('asset_id')
              .whereRef('asset_id', '=', 'assets.id')
              .where('version', '>=', ANALYSIS_VERSION),
          ),
        ),
      );
    if (userId !== undefined) query = query.where('assets.user_id', '=', userId);
    return query;
  }

  /** Live images without an up-to-date analysis after `afterId`, oldest first. */
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

  /**
   * Stores one asset's analysis, replacing an earlier one: its colour rows, its automatic tags (a
   * tag the user removed stays removed, with its new score) and the asset's `auto_text`. The
   * analysis row is written first, so a second writer of the same asset waits on its lock and then
   * replaces rather than adds to the first one's rows.
   */
  async save(asset: PendingAsset, result: AnalysisResult, now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = {
        user_id: asset.user_id,
        phash: result.phash,
        palette: result.palette,
        error: result.error,
        analyzed_at: now,
        version: ANALYSIS_VERSION,
        text: result.text,
      };
      await trx
        .insertInto('asset_analysis')
        .values({ asset_id: asset.id, ...row })
        .onConflict((oc) => oc.column('asset_id').doUpdateSet(row))
        .execute();
      await trx.deleteFrom('asset_colors').where('asset_id', '=', asset.id).execute();
      if (result.colours.length > 0) {
        await trx
          .insertInto('asset_colors')
          .values(result.colours.map((c) => ({ asset_id: asset.id, user_id: asset.user_id, ...c })))
          .execute();
      }
      let stale = trx.deleteFrom('asset_auto_tags').where('asset_id', '=', asset.id).where('removed', '=', 0);
      if (result.tags.length > 0)
        stale = stale.where(
          'label',
          'not in',
          result.tags.map((t) => t.label),
        );
      await stale.execute();
      for (const tag of result.tags) {
        await trx
          .insertInto('asset_auto_tags')
          .values({ asset_id: asset.id, user_id: asset.user_id, ...tag, removed: 0 })
          .onConflict((oc) =>
            oc.columns(['asset_id', 'label']).doUpdateSet({ score: tag.score, source: tag.source }),
          )
          .execute();
      }
      await writeAutoText(trx, asset.id);
    });
  }

  /** The asset's automatic tags the user has not removed, best first. */
  autoTags(userId: number, assetId: number): Promise<AutoTagRow[]> {
    return this.db
      .selectFrom('asset_auto_tags')
      .select(['label', 'score', 'source'])
      .where('asset_id', '=', assetId)
      .where('user_id', '=', userId)
      .where('removed', '=', 0)
      .orderBy('score', 'desc')
      .orderBy('label')
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, score: Number(r.score) })));
  }

  /** Takes an automatic tag off (for good); false when the asset has no such live tag. */
  async removeAutoTag(userId: number, assetId: number, label: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('asset_auto_tags')
        .set({ removed: 1 })
        .where('asset_id', '=', assetId)
        .where('user_id', '=', userId)
        .where('label', '=', label)
        .where('removed', '=', 0)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      await writeAutoText(trx, assetId);
      return true;
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

/** The asset's `auto_text` from its live tags and recognised text (the search triggers index it). */
async function writeAutoText(trx: Kysely<Database & UnderstandingTables>, assetId: number): Promise<void> {
  const tags = await trx
    .selectFrom('asset_auto_tags')
    .select('label')
    .where('asset_id', '=', assetId)
    .where('removed', '=', 0)
    .orderBy('score', 'desc')
    .orderBy('label')
    .execute();
  const analysis = await trx
    .selectFrom('asset_analysis')
    .select('text')
    .where('asset_id', '=', assetId)
    .executeTakeFirst();
  await trx
    .updateTable('assets')
    .set({
      auto_text: autoText(
        tags.map((t) => t.label),
        analysis?.text ?? null,
      ),
    })
    .where('id', '=', assetId)
    .execute();
}
