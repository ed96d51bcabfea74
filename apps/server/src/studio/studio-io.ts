import type { Asset } from '@studio/contracts';
import type { AssetService } from '../assets/asset.service.ts';
import { loadImageSource } from '../assets/image-source.ts';
import { createUploadedAsset } from '../assets/upload.ts';
import type { BillingService } from '../billing/billing.service.ts';
import { badRequest, validationFailed } from '../errors.ts';
import type { Admission } from '../imaging/admission.ts';
import { AnswerBudget } from '../imaging/answer-budget.ts';
import type { IngestedImage, IngestLimits } from '../imaging/ingest.ts';
import type { ProviderGateway } from '../providers/gateway.ts';
import { ProducedResults } from './produced-results.ts';

/** An input image as the API accepts it: base64 / data URL, a multipart file's bytes, or one of the caller's assets. */
export interface ImageInput {
  base64?: string | null;
  bytes?: Buffer;
  assetId?: number | null;
}

/** Whether the request sent this image at all (in any of its forms). */
export const given = (input: ImageInput): boolean =>
  Boolean(input.base64) || Boolean(input.bytes?.length) || typeof input.assetId === 'number';

/** A decoded input not yet stored; `store` saves it (deduplicated by sha256) once the request is valid. */
export interface LoadedInput {
  image: IngestedImage;
  assetId?: number;
}

export interface StudioIoDeps {
  assets: Pick<AssetService, 'create' | 'bytes' | 'get'>;
  limits: IngestLimits;
  /** Encoded image bytes one JSON answer may carry. */
  maxAnswerBytes: number;
}

/** A result to save: module, operation, provider/model and the parameters that made it. */
export interface ResultAsset {
  userId: number;
  bytes: Buffer;
  sourceModule: 'edit' | 'upscale' | 'control';
  operation: string;
  provider: string;
  model: string | null;
  prompt?: string | null;
  parentId: number;
  params: Record<string, unknown>;
  costCredits: number;
  tags?: string[];
}

/**
 * Inputs and outputs shared by the Edit, Upscale and Control studios. Every input image goes through
 * the one ingest path (imaging/ingest.ts); inputs are stored as upload assets deduplicated by sha256,
 * results as assets whose parent is the input.
 */
export class StudioIo {
  private readonly produced: ProducedResults;

  constructor(private readonly deps: StudioIoDeps) {
    // Only a result small enough to inline is worth holding; four answers' worth at most.
    this.produced = new ProducedResults(deps.maxAnswerBytes, 4 * deps.maxAnswerBytes);
  }

  /** A fresh count of what one JSON answer carries. */
  answerBudget(): AnswerBudget {
    return new AnswerBudget(this.deps.maxAnswerBytes);
  }

  /** Decodes an input (400 on a bad image; 404 for an asset that is not the caller's). */
  async load(userId: number, input: ImageInput, field: string): Promise<LoadedInput | undefined> {
    const hasB64 = typeof input.base64 === 'string' && input.base64.length > 0;
    const hasAsset = typeof input.assetId === 'number';
    if ([hasB64, hasAsset, input.bytes !== undefined].filter(Boolean).length > 1) {
      throw validationFailed(`Send ${field} once: as base64, as a file or as an asset id.`);
    }
    const options = { limits: this.deps.limits };
    // Uploaded bytes go to the ingest path as they are, never through base64 and back.
    if (input.bytes)
      return { image: await loadImageSource(this.deps.assets, userId, { bytes: input.bytes }, options) };
    if (hasAsset) {
      const assetId = input.assetId as number;
      return { image: await loadImageSource(this.deps.assets, userId, { assetId }, options), assetId };
    }
    if (hasB64) {
      const base64 = input.base64 as string;
      return { image: await loadImageSource(this.deps.assets, userId, { base64 }, options) };
    }
    return undefined;
  }

  async require(userId: number, input: ImageInput, field: string): Promise<LoadedInput> {
    const loaded = await this.load(userId, input, field);
    if (!loaded) throw validationFailed(`${field} is required (base64 or asset id).`);
    return loaded;
  }

  /** The input's asset id, storing a base64 input as an upload asset (the same bytes → the same asset). */
  async store(userId: number, input: LoadedInput, title: string, tags: string[] = []): Promise<number> {
    if (input.assetId !== undefined) return input.assetId;
    const { asset } = await createUploadedAsset(this.deps.assets, userId, input.image, { title, tags });
    return asset.id;
  }

  /** Bytes of a stored input, decoded again through the ingest path. */
  async reload(userId: number, assetId: number): Promise<IngestedImage> {
    return loadImageSource(
      this.deps.assets,
      userId,
      { assetId },
      { limits: this.deps.limits, verify: false },
    );
  }

  async saveResult(r: ResultAsset): Promise<Asset> {
    const { asset } = await this.deps.assets.create({
      userId: r.userId,
      bytes: r.bytes,
      sourceModule: r.sourceModule,
      operation: r.operation,
      provider: r.provider,
      model: r.model,
      prompt: r.prompt ?? null,
      title: `${r.sourceModule} · ${r.operation.split('.').pop()?.replaceAll('_', ' ')}`,
      params: r.params,
      tags: [r.sourceModule, ...(r.tags ?? [])],
      parentIds: [r.parentId],
      costCredits: r.costCredits,
    });
    this.produced.remember(asset.id, r.bytes);
    return asset;
  }

  /**
   * A result's bytes: the ones a job of this process just saved when it is still held (a
   * synchronous request answers from them), else read from storage (a worker on another machine).
   */
  async resultBytes(userId: number, assetId: number): Promise<Buffer> {
    return this.produced.take(assetId) ?? this.deps.assets.bytes(userId, assetId);
  }

  async asset(userId: number, assetId: number): Promise<Asset> {
    return this.deps.assets.get(userId, assetId);
  }
}

export const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;

export const requireText = (value: string | null | undefined, message: string): string => {
  const v = value?.trim();
  if (!v) throw badRequest(message);
  return v;
};

/** What the Edit, Upscale and Control services are built from (one shape for all three). */
export interface StudioDeps {
  io: StudioIo;
  billing: Pick<BillingService, 'withCharge' | 'chargeFor' | 'usableProviders'>;
  gateway: Pick<ProviderGateway, 'candidates' | 'run'>;
  /** Local work in jobs runs under the process's one pixel budget and local-model slots. */
  admission: Pick<Admission, 'request' | 'localModel'>;
}
