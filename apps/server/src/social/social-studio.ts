import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Asset } from '@studio/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AssetService } from '../assets/asset.service.ts';
import { assetFileName } from '../assets/file-name.ts';
import { type ImageSource, loadImageSource } from '../assets/image-source.ts';
import type { LibraryService } from '../assets/library.service.ts';
import { createUploadedAsset } from '../assets/upload.ts';
import type { Config } from '../config.ts';
import { notFound, unprocessable } from '../errors.ts';
import type { Admission } from '../imaging/admission.ts';
import { AnswerBudget } from '../imaging/answer-budget.ts';
import {
  type CompressResult,
  type ConvertResult,
  compressImage,
  convertImage,
  type EncodeFormat,
  parseColorSpace,
  parseEncodeFormat,
} from '../imaging/encode.ts';
import type { Size } from '../imaging/geometry.ts';
import { type IngestedImage, type IngestLimits, ingestBytes, type RawImage } from '../imaging/ingest.ts';
import { largeThumbSize } from '../imaging/thumbnails.ts';
import { SocialCampaigns } from './campaign.ts';
import { zipEntries } from './campaign-zip.ts';
import { type OptimizeInput, optimizeRequest } from './optimize-request.ts';
import { saveOutputs } from './save-outputs.ts';
import { type SavedCrop, savedCrops } from './saved-crops.ts';
import { selectFormats } from './select-formats.ts';
import type {
  FailedOutput,
  OptimizedImage,
  OptimizeResult,
  PreviewResult,
  SocialService,
} from './social.service.ts';

export interface SocialStudioDeps {
  assets: Pick<AssetService, 'create' | 'bytes' | 'assertRoom' | 'get' | 'owned' | 'streamBlob'>;
  library: Pick<LibraryService, 'zip' | 'list'>;
  optimizer: SocialService;
  limits: IngestLimits;
  /** The pixel budget every decode and encode here runs under. */
  admission: Admission;
  /** Encoded image bytes one JSON answer may carry. */
  maxAnswerBytes: number;
  /** Signs export ids so they cannot be forged or guessed. */
  secret: Buffer;
  campaign: Config['socialCampaign'];
}

export interface OptimizeOutcome {
  exportId: string;
  sourceAssetId: number;
  source: { width: number; height: number; format: string };
  faces: Array<{ left: number; top: number; width: number; height: number; score: number }>;
  subjects: OptimizeResult['subjects'];
  warnings: string[];
  results: Array<{ output: OptimizedImage; asset: Asset }>;
  failures: FailedOutput[];
}

export interface PreviewOutcome {
  source: { width: number; height: number; format: string };
  result: PreviewResult;
  warnings: string[];
}

/** An uploaded file keeps its name (without the extension) as the source asset's title. */
function sourceTitle(source: ImageSource): string {
  const name =
    'name' in source
      ? source.name
          ?.replace(/\.[a-z0-9]{2,5}$/i, '')
          .trim()
          .slice(0, 200)
      : '';
  return name || 'Social Optimizer source';
}

/** The source's thumbnails from the shared decode when it can stand for the source. */
function sourceThumbnailPixels(result: OptimizeResult, image: { width: number; height: number }) {
  const size = largeThumbSize(image.width, image.height);
  const frame = result.sourceRaw(size);
  return frame ? { pixels: () => frame } : {};
}
const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;
const SIG_HEX = 20;

/**
 * The Social Optimizer and the compress/convert tools as the API offers them: loads the image
 * through the one ingest path, runs the pure services, and saves social outputs as assets (module
 * `social`, parent = the source asset). Nothing is written before the source has decoded.
 */
export class SocialStudio {
  /** Several sources through the same formats, as one job (the `social` job type). */
  readonly campaigns: SocialCampaigns;

  /**
   * Decodes into pixels so far, by what was decoded (the source, or a library image's stored
   * thumbnail): the seam that shows a library image's preview does not decode the image itself.
   */
  readonly decodes = { source: 0, thumbnail: 0 };

  constructor(private readonly deps: SocialStudioDeps) {
    this.campaigns = new SocialCampaigns(deps);
  }

  private counted(image: IngestedImage, kind: keyof SocialStudio['decodes']): IngestedImage {
    return {
      ...image,
      decodeRaw: (scale, background, purpose) => {
        this.decodes[kind]++;
        return image.decodeRaw(scale, background, purpose);
      },
    };
  }

  /**
   * A library image's large thumbnail at analysis size, in source pixels' scale; undefined while
   * its thumbnails are not made yet or are smaller than the analysis wants.
   */
  private thumbnailAt(userId: number, assetId: number, source: Size) {
    return async (longSide: number): Promise<RawImage | undefined> => {
      const sha = (await this.deps.assets.owned(userId, assetId)).thumb_large_sha256;
      if (!sha) return undefined;
      const bytes = Buffer.concat(await (await this.deps.assets.streamBlob(sha)).toArray());
      const thumb = this.counted(
        await ingestBytes(bytes, { limits: this.deps.limits, verify: false }),
        'thumbnail',
      );
      const thumbLong = Math.max(thumb.width, thumb.height);
      if (thumbLong < Math.min(longSide, Math.max(source.width, source.height))) return undefined;
      const raw = await thumb.decodeRaw(Math.min(1, longSide / thumbLong), '#ffffff', 'analysis');
      return { ...raw, scale: raw.width / source.width };
    };
  }

  /** Every pipeline here decodes through `decodeRaw`, which maps a broken file to 400 itself. */
  private async load(userId: number, source: ImageSource, keepMetadata = false): Promise<IngestedImage> {
    const image = await loadImageSource(this.deps.assets, userId, source, {
      limits: this.deps.limits,
      keepMetadata,
      verify: false,
    });
    return this.counted(image, 'source');
  }

  /** A fresh count of what one JSON answer carries; routes make one per request. */
  answerBudget(): AnswerBudget {
    return new AnswerBudget(this.deps.maxAnswerBytes);
  }

  /** The crops an export of the same body would use; no output drawn, nothing saved. */
  async preview(userId: number, source: ImageSource, input: OptimizeInput): Promise<PreviewOutcome> {
    const { formats, warnings } = selectFormats(input);
    const image = await this.load(userId, source);
    const req = optimizeRequest(input, formats, image);
    // Analysis decodes at most a 640-px copy, shrunk on load where the codec allows.
    const result = await this.deps.admission.request(
      Math.min(image.width * image.height, 640 * 640),
      (alone) =>
        this.deps.optimizer.preview(
          image,
          req,
          'assetId' in source ? this.thumbnailAt(userId, source.assetId, image) : undefined,
          { spareCore: alone },
        ),
    );
    return { source: { width: image.width, height: image.height, format: image.format }, result, warnings };
  }

  async optimize(userId: number, source: ImageSource, input: OptimizeInput): Promise<OptimizeOutcome> {
    const { formats, warnings } = selectFormats(input);
    const image = await this.load(userId, source);
    const req = optimizeRequest(input, formats, image);
    const outputPixels = formats.reduce((n, f) => n + f.width * f.height, 0);
    const result = await this.deps.admission.request(image.width * image.height + outputPixels, () =>
      this.deps.optimizer.optimize(image, req),
    );
    if (result.outputs.length === 0) {
      throw unprocessable(
        'over_size_limit',
        result.failures.map((f) => f.message).join(' ') || 'No output could be made.',
        { failures: result.failures.map((f) => ({ format_id: f.format.id, message: f.message })) },
      );
    }
    // Refused before anything is saved, so a 413 leaves no row or blob behind.
    const answer = this.answerBudget();
    for (const o of result.outputs) {
      answer.add((input.includeBase64 ? o.bytes.length : 0) + (o.preview?.length ?? 0));
    }
    await this.deps.assets.assertRoom(userId, [image.bytes, ...result.outputs.map((o) => o.bytes)]);

    const sourceAssetId =
      'assetId' in source
        ? source.assetId
        : (
            await createUploadedAsset(this.deps.assets, userId, image, {
              title: sourceTitle(source),
              deferThumbnails: true,
              ...sourceThumbnailPixels(result, image),
            })
          ).asset.id;

    const results = await saveOutputs(
      this.deps.assets,
      userId,
      result.outputs,
      sourceAssetId,
      input.cropMode,
    );
    return {
      exportId: this.exportId(
        userId,
        results.map((r) => r.asset.id),
      ),
      sourceAssetId,
      source: { width: image.width, height: image.height, format: image.format },
      faces: result.faces.map((f) => ({
        left: Math.round(f.left),
        top: Math.round(f.top),
        width: Math.round(f.width),
        height: Math.round(f.height),
        score: Math.round(f.score * 1000) / 1000,
      })),
      subjects: result.subjects,
      warnings,
      results,
      failures: result.failures,
    };
  }

  /** The crops last exported from one of the caller's library images, per format. */
  savedCrops(userId: number, sourceAssetId: number): Promise<SavedCrop[]> {
    return savedCrops(this.deps, userId, sourceAssetId);
  }

  /**
   * The ZIP answer of an optimization that just ran, from the bytes in memory (named as the stored
   * files download), so nothing is read back from storage.
   */
  zipOf(outcome: OptimizeOutcome): Readable {
    return zipEntries(
      outcome.results.map(({ output, asset }) => ({
        path: assetFileName(asset),
        bytes: async () => output.bytes,
      })),
    );
  }

  /** A ZIP of an optimization's outputs; a forged id or another user's export is a 404. */
  async exportZip(
    userId: number,
    exportId: string,
    log: Pick<FastifyBaseLogger, 'warn'>,
  ): Promise<{ stream: Readable; count: number; missing: number[] }> {
    const ids = this.verifyExportId(userId, exportId);
    const { stream, count, missing } = await this.deps.library.zip(userId, ids, log);
    return { stream, count, missing };
  }

  async compress(
    userId: number,
    source: ImageSource,
    o: {
      quality: number;
      format: string;
      targetSizeKb?: number;
      stripMetadata: boolean;
      progressive: boolean;
      optimize: boolean;
      answer?: AnswerBudget;
    },
  ): Promise<CompressResult> {
    const format = parseEncodeFormat(o.format);
    const image = await this.load(userId, source, !o.stripMetadata);
    return this.deps.admission.request(inputAndOutputPixels(image), () =>
      compressImage(image, {
        format,
        quality: o.quality,
        ...(o.targetSizeKb !== undefined ? { targetSizeKb: o.targetSizeKb } : {}),
        progressive: o.progressive,
        optimize: o.optimize,
        ...(o.answer ? { answer: o.answer } : {}),
      }),
    );
  }

  async convert(
    userId: number,
    source: ImageSource,
    o: {
      targetFormat: string;
      quality?: number;
      preserveTransparency: boolean;
      colorSpace?: string;
      stripMetadata: boolean;
      progressive: boolean;
      optimize: boolean;
      answer?: AnswerBudget;
    },
  ): Promise<ConvertResult> {
    const format: EncodeFormat = parseEncodeFormat(o.targetFormat);
    const colorSpace = parseColorSpace(o.colorSpace);
    const image = await this.load(userId, source, !o.stripMetadata);
    return this.deps.admission.request(inputAndOutputPixels(image), () =>
      convertImage(image, {
        format,
        ...(o.quality !== undefined ? { quality: o.quality } : {}),
        preserveTransparency: o.preserveTransparency,
        colorSpace,
        progressive: o.progressive,
        optimize: o.optimize,
        ...(o.answer ? { answer: o.answer } : {}),
      }),
    );
  }

  private sign(userId: number, ids: number[]): string {
    return createHmac('sha256', this.deps.secret)
      .update(`social-export:${userId}:${ids.join(',')}`)
      .digest('hex')
      .slice(0, SIG_HEX);
  }

  private exportId(userId: number, ids: number[]): string {
    return `${this.sign(userId, ids)}-${ids.join('-')}`;
  }

  private verifyExportId(userId: number, exportId: string): number[] {
    const [sig, ...rest] = exportId.split('-');
    const ids = rest.map(Number);
    if (!sig || ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0))
      throw notFound('Export');
    const expected = Buffer.from(this.sign(userId, ids));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw notFound('Export');
    return ids;
  }
}

/** Re-encoding holds the decoded source and the output of the same size. */
const inputAndOutputPixels = (image: { width: number; height: number }) => 2 * image.width * image.height;

export { dataUrl };
