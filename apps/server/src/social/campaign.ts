import type { Readable } from 'node:stream';
import type { SocialCampaignJobInput, SocialCampaignJobResult } from '@studio/contracts';
import type { AssetService } from '../assets/asset.service.ts';
import { loadImageSource } from '../assets/image-source.ts';
import { createUploadedAsset } from '../assets/upload.ts';
import type { Config } from '../config.ts';
import { AppError, isAppError, payloadTooLarge, unprocessable, validationFailed } from '../errors.ts';
import type { Admission } from '../imaging/admission.ts';
import { type IngestLimits, ingestBase64, ingestBytes } from '../imaging/ingest.ts';
import type { JobContext } from '../jobs/job.types.ts';
import { folderNames } from './campaign-folders.ts';
import { zipEntries } from './campaign-zip.ts';
import { type OptimizeInput, optimizeRequest } from './optimize-request.ts';
import { saveOutputs } from './save-outputs.ts';
import { selectFormats } from './select-formats.ts';
import type { OptimizeResult, SocialService } from './social.service.ts';

export interface SocialCampaignsDeps {
  assets: Pick<AssetService, 'create' | 'bytes' | 'assertRoom' | 'get'>;
  optimizer: SocialService;
  limits: IngestLimits;
  admission: Admission;
  campaign: Config['socialCampaign'];
}

/** The optimize options a campaign applies to every source (no per-source crops, no base64). */
export type CampaignOptions = Omit<OptimizeInput, 'crops' | 'showSafeZones' | 'includeBase64'>;

export interface CampaignSources {
  /** Images in JSON, then uploaded files, in the order sent; the file name names the source's folder. */
  files: ReadonlyArray<({ bytes: Buffer } | { base64: string }) & { filename: string }>;
  /** The caller's library images, after the files. */
  assetIds: readonly number[];
}

/** The cheapest decode that proves a file decodes: a 64-px shrink-on-load pass. */
const VERIFY_LONG_SIDE = 64;

/**
 * Social campaigns: several sources through the same formats, run as one `social` job, answered
 * as one ZIP with a folder per source. `prepare` refuses bad input (count, pixels and bytes
 * counted from headers, a file that does not decode, another user's asset) before anything is
 * written; `run` keeps every output in memory until all sources are done, so a failed or canceled
 * campaign saves no output.
 */
export class SocialCampaigns {
  constructor(private readonly deps: SocialCampaignsDeps) {}

  /** More outputs than this and the run goes on in the background (202). */
  get inlineOutputs(): number {
    return this.deps.campaign.inlineOutputs;
  }

  async prepare(
    userId: number,
    sources: CampaignSources,
    options: CampaignOptions,
  ): Promise<{ input: SocialCampaignJobInput; outputs: number; warnings: string[] }> {
    const { maxSources, maxPixels, maxBytes } = this.deps.campaign;
    const count = sources.files.length + sources.assetIds.length;
    if (count === 0) {
      throw validationFailed('Send at least one source: `files` parts or asset_ids.', {
        issues: [{ path: 'asset_ids', message: 'No source given.' }],
      });
    }
    if (count > maxSources) {
      throw validationFailed(`A campaign takes at most ${maxSources} sources; this one has ${count}.`, {
        issues: [{ path: 'asset_ids', message: `At most ${maxSources} sources.` }],
      });
    }
    const { formats, warnings } = selectFormats(options);
    const owned = await Promise.all(sources.assetIds.map((id) => this.deps.assets.get(userId, id)));
    // Headers only: format and size, nothing decoded yet.
    const uploads = await Promise.all(
      sources.files.map((f, i) =>
        bySource(i, f.filename, () =>
          'base64' in f
            ? ingestBase64(f.base64, { limits: this.deps.limits, verify: false })
            : ingestBytes(f.bytes, { limits: this.deps.limits, verify: false }),
        ),
      ),
    );
    const pixels =
      uploads.reduce((n, u) => n + u.width * u.height, 0) + owned.reduce((n, a) => n + a.width * a.height, 0);
    if (pixels > maxPixels) {
      throw payloadTooLarge(
        `The sources hold ${mp(pixels)} MP together; a campaign takes at most ${mp(maxPixels)} MP.`,
        { pixels, max_pixels: maxPixels },
      );
    }
    const bytes =
      uploads.reduce((n, u) => n + u.originalBytes, 0) + owned.reduce((n, a) => n + a.file_size, 0);
    if (bytes > maxBytes) {
      throw payloadTooLarge(
        `The sources hold ${mb(bytes)} MB together; a campaign takes at most ${mb(maxBytes)} MB.`,
        { bytes, max_bytes: maxBytes },
      );
    }
    for (const [i, u] of uploads.entries()) {
      const scale = Math.min(1, VERIFY_LONG_SIDE / Math.max(u.width, u.height));
      await bySource(i, sources.files[i]?.filename ?? '', () => u.decodeRaw(scale));
    }
    await this.deps.assets.assertRoom(
      userId,
      uploads.map((u) => u.bytes),
    );
    const stored: number[] = [];
    for (const [i, u] of uploads.entries()) {
      const { asset } = await createUploadedAsset(this.deps.assets, userId, u, {
        filename: sources.files[i]?.filename || undefined,
        tags: ['social-campaign'],
      });
      stored.push(asset.id);
    }
    const folders = folderNames([...sources.files.map((f) => f.filename), ...owned.map((a) => a.title)]);
    const ids = [...stored, ...owned.map((a) => a.id)];
    return {
      input: {
        sources: ids.map((assetId, i) => ({ assetId, folder: folders[i] ?? `source-${i + 1}` })),
        platforms: [...(options.platforms ?? [])],
        ...(options.formatNames ? { formatNames: plainNames(options.formatNames) } : {}),
        allFormats: options.allFormats ?? false,
        cropMode: options.cropMode,
        focalPoint: options.focalPoint ?? null,
        outputFormat: options.outputFormat,
        ...(options.quality !== undefined ? { quality: options.quality } : {}),
        fitBackground: options.fitBackground,
        backgroundColor: options.backgroundColor,
        burnSafeZones: options.burnSafeZones,
      },
      outputs: count * formats.length,
      warnings,
    };
  }

  /** The `social` job: every source in turn (progress per source), then every output saved. */
  async run(job: JobContext<SocialCampaignJobInput>): Promise<SocialCampaignJobResult> {
    const input = job.input;
    const options: OptimizeInput = {
      ...input,
      formatNames: input.formatNames,
      showSafeZones: false,
      includeBase64: false,
    };
    const { formats } = selectFormats(options);
    const n = input.sources.length;
    // Only the outputs and the source's size are kept across sources, not the decoded sources.
    const made: Array<{
      assetId: number;
      folder: string;
      width: number;
      height: number;
      result: OptimizeResult;
    }> = [];
    for (const [i, source] of input.sources.entries()) {
      job.signal.throwIfAborted();
      await job.progress(Math.round((90 * i) / n), `source ${i + 1} of ${n}: ${source.folder}`);
      const image = await loadImageSource(
        this.deps.assets,
        job.userId,
        { assetId: source.assetId },
        { limits: this.deps.limits, verify: false },
      );
      const req = optimizeRequest(options, formats, image);
      const outputPixels = formats.reduce((sum, f) => sum + f.width * f.height, 0);
      const result = await this.deps.admission.localModel(
        image.width * image.height + outputPixels,
        job.signal,
        () => this.deps.optimizer.optimize(image, req),
      );
      made.push({
        assetId: source.assetId,
        folder: source.folder,
        width: image.width,
        height: image.height,
        result,
      });
      await job.progress(Math.round((90 * (i + 1)) / n), `source ${i + 1} of ${n} done: ${source.folder}`);
    }
    job.signal.throwIfAborted();
    const total = made.reduce((sum, m) => sum + m.result.outputs.length, 0);
    if (total === 0) {
      throw unprocessable(
        'over_size_limit',
        made.flatMap((m) => m.result.failures.map((f) => f.message)).join(' ') || 'No output could be made.',
      );
    }
    await job.progress(90, 'saving');
    await this.deps.assets.assertRoom(
      job.userId,
      made.flatMap((m) => m.result.outputs.map((o) => o.bytes)),
    );
    await job.commit();
    const sources: SocialCampaignJobResult['sources'] = [];
    for (const m of made) {
      const saved = await saveOutputs(
        this.deps.assets,
        job.userId,
        m.result.outputs,
        m.assetId,
        input.cropMode,
      );
      sources.push({
        folder: m.folder,
        source_asset_id: m.assetId,
        width: m.width,
        height: m.height,
        results: saved.map(({ output: o, asset }) => ({
          platform: o.format.platform,
          format: o.format.name,
          format_id: o.format.id,
          asset_id: asset.id,
          file: `${m.folder}/${o.format.id.replace(/[^a-z0-9]+/gi, '-')}.${o.extension}`,
          width: o.width,
          height: o.height,
          mime_type: o.mime,
          file_size: o.bytes.length,
        })),
        failures: m.result.failures.map((f) => ({
          format_id: f.format.id,
          code: f.code,
          message: f.message,
        })),
      });
    }
    return { sources, total_optimized: total, zip_url: campaignZipUrl(job.jobId) };
  }

  /** The ZIP of a finished campaign: its saved outputs, read from storage one at a time. */
  zip(userId: number, result: SocialCampaignJobResult): Readable {
    return zipEntries(
      result.sources.flatMap((s) =>
        s.results.map((r) => ({ path: r.file, bytes: () => this.deps.assets.bytes(userId, r.asset_id) })),
      ),
    );
  }
}

export const campaignZipUrl = (jobId: string) => `/api/image-studio/social/campaigns/${jobId}.zip`;

/** A source's error says which source it is about. */
async function bySource<T>(index: number, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isAppError(e)) throw e;
    const label = name ? `Source ${index + 1} ("${name}")` : `Source ${index + 1}`;
    throw new AppError(e.status, e.code, `${label}: ${e.message}`, { ...detailsOf(e), source_index: index });
  }
}

const detailsOf = (e: AppError): Record<string, unknown> =>
  typeof e.details === 'object' && e.details !== null ? { ...e.details } : {};

const plainNames = (names: Readonly<Record<string, string | readonly string[]>>) =>
  Object.fromEntries(Object.entries(names).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]));

const mp = (pixels: number) => Math.round(pixels / 100_000) / 10;
const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;
