import { type AssetAnalysis, type DuplicateList, PaletteSwatch } from '@studio/contracts';
import { z } from 'zod';
import { notFound } from '../errors.ts';
import type { Admission } from '../imaging/admission.ts';
import { dominantPalette } from '../imaging/colour.ts';
import type { FaceDetector } from '../imaging/faces.ts';
import { decodeForReading, recognizeText } from '../imaging/local/ocr/ocr.ts';
import { imageSignature } from '../imaging/signature.ts';
import { detectSubjects } from '../imaging/subjects.ts';
import type { JobContext } from '../jobs/job.types.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { tryParseJson } from '../util/try-parse-json.ts';
import { tagsFrom } from './auto-tags.ts';
import { similarGroups } from './duplicates.ts';
import {
  ANALYSIS_VERSION,
  type AnalysisResult,
  type PendingAsset,
  type UnderstandingRepository,
} from './understanding.repository.ts';

const BATCH = 20;

export interface UnderstandingDeps {
  repo: UnderstandingRepository;
  blobs: BlobStore;
  admission: Admission;
  /** Faces, objects and bodies (the face thread's Human models): the automatic tags. */
  subjects: FaceDetector;
  /** Whether the asset exists and is the caller's (the 404 of every asset route). */
  ownedAsset: (userId: number, assetId: number) => Promise<unknown>;
  clock?: () => Date;
}

/**
 * What the library learns from pixels: a perceptual hash (near-duplicates), a dominant palette
 * (colour filter, swatches), objects and people (automatic tags) and text (OCR), the last two
 * searchable through the asset's `auto_text`. Analysis runs beside saving, never inside it, and
 * under the same admission control as the other local models.
 */
export class UnderstandingService {
  private readonly clock: () => Date;

  constructor(private readonly deps: UnderstandingDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Live images nobody analysed yet, after `afterId` (all users unless `userId`). */
  pending(afterId: number, userId?: number): Promise<PendingAsset[]> {
    return this.deps.repo.pending(afterId, BATCH, userId);
  }

  /**
   * Analyses one image and stores the outcome. An image that cannot be read or decoded is stored as
   * failed (with why), so it is not retried forever; a cancel leaves it pending.
   */
  async analyze(asset: PendingAsset, signal?: AbortSignal): Promise<void> {
    let result: AnalysisResult;
    try {
      const bytes = await this.deps.blobs.get(asset.sha256);
      result = await this.deps.admission.localModel(asset.width * asset.height, signal, async () => {
        // One decode (at most 1920 wide) for every part: hash, palette, objects and text.
        const read = await decodeForReading(bytes);
        const [signature, subjects, ocr] = await Promise.all([
          imageSignature(read),
          detectSubjects(read, this.deps.subjects),
          recognizeText(read),
        ]);
        const palette = dominantPalette(signature.rgb);
        return {
          phash: signature.dhash,
          palette: JSON.stringify(
            palette.map((c) => ({ hex: c.hex, share: Math.round(c.share * 1000) / 1000 })),
          ),
          error: null,
          colours: palette.map((c) => ({
            l: Math.round(c.lab.l),
            a: Math.round(c.lab.a),
            b: Math.round(c.lab.b),
            share: c.share,
          })),
          text: ocr.text === '' ? null : ocr.text,
          tags: tagsFrom(subjects),
        };
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      result = {
        phash: null,
        palette: '[]',
        error: `The image could not be analysed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500),
        colours: [],
        text: null,
        tags: [],
      };
    }
    signal?.throwIfAborted();
    await this.deps.repo.save(asset, result, this.clock().toISOString());
  }

  /** The `library.analyze` job: every pending image of the user, with progress; resumable and cancelable. */
  async backfill(job: JobContext<unknown>): Promise<{ analyzed: number }> {
    const total = await this.deps.repo.countPending(job.userId);
    let analyzed = 0;
    let cursor = 0;
    for (;;) {
      const batch = await this.pending(cursor, job.userId);
      if (batch.length === 0) break;
      for (const asset of batch) {
        job.signal.throwIfAborted();
        await this.analyze(asset, job.signal);
        analyzed++;
        cursor = asset.id;
        await job.progress((analyzed / Math.max(1, total)) * 100, `${analyzed} of ${total} images`);
      }
    }
    return { analyzed };
  }

  async analysis(userId: number, assetId: number): Promise<AssetAnalysis> {
    await this.deps.ownedAsset(userId, assetId);
    const row = await this.deps.repo.find(userId, assetId);
    const autoTags = await this.deps.repo.autoTags(userId, assetId);
    if (!row) {
      return {
        asset_id: assetId,
        status: 'pending',
        phash: null,
        palette: [],
        text: null,
        auto_tags: autoTags,
        error: null,
        analyzed_at: null,
      };
    }
    return {
      asset_id: assetId,
      // An analysis of an older version is shown as it is, and is brought up to date in the background.
      status: row.error ? 'failed' : row.version < ANALYSIS_VERSION ? 'pending' : 'done',
      phash: row.phash,
      palette: parsePalette(row.palette),
      text: row.text,
      auto_tags: autoTags,
      error: row.error,
      analyzed_at: row.analyzed_at,
    };
  }

  /**
   * Takes an automatic tag off an asset: it leaves the asset's search document at once and stays
   * off after later analyses. 404 for another user's asset or a tag the asset does not show.
   */
  async removeAutoTag(userId: number, assetId: number, label: string): Promise<AssetAnalysis> {
    await this.deps.ownedAsset(userId, assetId);
    if (!(await this.deps.repo.removeAutoTag(userId, assetId, label))) {
      throw notFound(`Automatic tag "${label}" of this asset`);
    }
    return this.analysis(userId, assetId);
  }

  /** Exact copies (same bytes) and, apart from them, similar pictures (near hashes) of the user's live images. */
  async duplicates(userId: number): Promise<DuplicateList> {
    const [exact, hashes, pending] = await Promise.all([
      this.deps.repo.exactCopies(userId),
      this.deps.repo.hashes(userId),
      this.deps.repo.countPending(userId),
    ]);
    const seen = new Set<string>();
    const distinct = hashes.filter((h) => !seen.has(h.sha256) && seen.add(h.sha256));
    return {
      groups: [
        ...exact.map((g) => ({
          kind: 'exact' as const,
          asset_ids: g.ids,
          sha256: g.sha256,
          max_distance: 0,
        })),
        ...similarGroups(distinct).map((g) => ({
          kind: 'similar' as const,
          asset_ids: g.ids,
          sha256: null,
          max_distance: g.maxDistance,
        })),
      ],
      pending,
    };
  }
}

const StoredPalette = z.array(PaletteSwatch);

function parsePalette(text: string): AssetAnalysis['palette'] {
  const parsed = StoredPalette.safeParse(tryParseJson(text));
  return parsed.success ? parsed.data : [];
}
