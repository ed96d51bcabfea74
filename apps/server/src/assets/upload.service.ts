import type { IngestLimits } from '../imaging/ingest.ts';
import { ingestBase64 } from '../imaging/ingest.ts';
import type { AssetService } from './asset.service.ts';
import { loadImageSource } from './image-source.ts';
import { createUploadedAsset, type UploadDetails } from './upload.ts';

export type UploadMeta = Pick<UploadDetails, 'title' | 'description' | 'prompt' | 'tags' | 'filename'>;

export interface SaveToLibraryInput {
  image_base64: string;
  prompt?: string | null;
  provider?: string | null;
  model?: string | null;
  cost?: number | null;
  operation: string;
  output_format: string;
}

/** The library's ways in: an upload (JSON or multipart) and the original's save-to-library. */
export class UploadService {
  private readonly clock: () => Date;

  constructor(
    private readonly assets: AssetService,
    private readonly limits: IngestLimits,
    clock?: () => Date,
  ) {
    this.clock = clock ?? (() => new Date());
  }

  /** An upload through the one ingest path; bytes the user already has return that asset (created=false). */
  async upload(userId: number, source: { bytes: Buffer } | { base64: string }, meta: UploadMeta) {
    const image = await loadImageSource(this.assets, userId, source, { limits: this.limits });
    return createUploadedAsset(this.assets, userId, image, meta);
  }

  /** The original's `POST /api/image-studio/save-to-library` (seed-facts §1.11), through ingest. */
  async saveToLibrary(userId: number, req: SaveToLibraryInput) {
    const image = await ingestBase64(req.image_base64, { limits: this.limits });
    const stamp = this.clock().toISOString().replace('T', ' ').slice(0, 19);
    const { asset } = await this.assets.create({
      userId,
      bytes: image.bytes,
      sourceModule: 'image_studio',
      operation: req.operation,
      provider: req.provider ?? null,
      model: req.model ?? null,
      prompt: req.prompt ?? null,
      title: `Generated Image - ${stamp}`,
      params: { output_format: req.output_format },
      // Credits may be fractional; rounding to 1/100 credit drops binary float noise only.
      costCredits: Math.round((req.cost ?? 0) * 10_000) / 100,
    });
    return {
      success: true as const,
      asset_id: asset.id,
      file_url: asset.file_url,
      filename: `asset-${asset.id}.${asset.format === 'jpeg' ? 'jpg' : asset.format}`,
      file_size: asset.file_size,
    };
  }
}
