import type { StudioJobResult, UpscaleImageRequest, UpscaleJobInput } from '@studio/contracts';
import { coveredCandidates } from '../billing/covered.ts';
import { isAppError, validationFailed } from '../errors.ts';
import { exactResize, exactResizeBytes } from '../imaging/exact-resize.ts';
import { pixelCount, type RawImage } from '../imaging/local/raw-image.ts';
import { SUPER_RESOLUTION_SCALE, upscaleConservative } from '../imaging/local/super-resolution.ts';
import { encodeRaw } from '../imaging/studio-encode.ts';
import type { JobContext } from '../jobs/job.types.ts';
import type { Candidate } from '../providers/selection.ts';
import type { Size, UpscaleMode } from '../providers/types.ts';
import { cloudCandidates } from '../studio/cloud.ts';
import type { StudioDeps } from '../studio/studio-io.ts';
import { aspectFits, fitInput, stabilityUpscaleLimits } from './fit-input.ts';
import { scaleFactor, upscaleTarget } from './targets.ts';

export type UpscaleServiceDeps = StudioDeps;

/** Local super-resolution runs on inputs up to this size (4× of it is 16 MP); larger ones use Lanczos. */
export const LOCAL_SR_MAX_INPUT = 1_048_576;
/** `auto` runs the local network only on inputs this small, so an automatic choice stays quick. */
const AUTO_LOCAL_SR_MAX_INPUT = 512 * 512;

/**
 * Upscale Studio. `prepare` fixes the exact output size and resolves the mode (auto says what it
 * chose and why), `run` (the `upscale` job) upscales locally or at Stability and always finishes
 * with a resize/crop to exactly the target size.
 */
export class UpscaleService {
  constructor(private readonly deps: UpscaleServiceDeps) {}

  /** `upload` is a multipart file part's bytes, handed to the ingest path as they are. */
  async prepare(userId: number, req: UpscaleImageRequest, upload?: Buffer): Promise<UpscaleJobInput> {
    if ((req.print_width_in || req.print_height_in || req.dpi) && req.preset !== 'print') {
      throw validationFailed('dpi and print_width_in/print_height_in go with preset "print".');
    }
    if (req.preset === 'print' && (req.print_width_in || req.print_height_in) && !req.dpi) {
      throw validationFailed('A print size in inches needs dpi as well.');
    }
    const input = await this.deps.io.require(
      userId,
      { base64: req.image_base64, assetId: req.asset_id, bytes: upload },
      'image_base64',
    );
    const src = { width: input.image.width, height: input.image.height };
    const target = upscaleTarget(src, {
      preset: req.preset ?? undefined,
      targetWidth: req.target_width ?? undefined,
      targetHeight: req.target_height ?? undefined,
      dpi: req.dpi ?? undefined,
      printWidthIn: req.print_width_in ?? undefined,
      printHeightIn: req.print_height_in ?? undefined,
    });
    const provider = req.provider ?? 'auto';
    const choice = await this.resolve(userId, req.mode, provider, src, target);
    const inputAssetId = await this.deps.io.store(userId, input, 'Upscale Studio input', ['upscale-input']);
    return {
      inputAssetId,
      ...choice,
      target,
      preset: req.preset ?? undefined,
      prompt: req.prompt || undefined,
      negativePrompt: req.negative_prompt || undefined,
      creativity: req.creativity ?? undefined,
      seed: req.seed ?? undefined,
      outputFormat: req.output_format,
    };
  }

  /** Stability has a key for this user and their plan allows it (what `auto` may pick). */
  private async stabilityUsable(userId: number, mode: UpscaleMode): Promise<boolean> {
    if (!(await this.deps.billing.usableProviders(userId)).includes('stability')) return false;
    try {
      await cloudCandidates(this.deps.gateway, userId, `upscale.${mode}`, { provider: 'stability' });
      return true;
    } catch (e) {
      if (isAppError(e) && e.code === 'no_provider') return false;
      throw e;
    }
  }

  private async resolve(
    userId: number,
    mode: UpscaleImageRequest['mode'],
    provider: 'auto' | 'local' | 'stability',
    src: Size,
    target: Size,
  ): Promise<Pick<UpscaleJobInput, 'mode' | 'route' | 'autoReason'>> {
    const requireStability = async (m: UpscaleMode) => {
      await cloudCandidates(this.deps.gateway, userId, `upscale.${m}`, { provider: 'stability' });
      return { mode: m, route: 'cloud' as const };
    };
    switch (mode) {
      case 'fast':
        return provider === 'stability' ? requireStability('fast') : { mode: 'fast', route: 'local' };
      case 'conservative':
        if (provider === 'local') return { mode, route: 'local' };
        if (provider === 'stability') return requireStability('conservative');
        return (await this.stabilityUsable(userId, 'conservative'))
          ? { mode, route: 'cloud' }
          : { mode, route: 'local' };
      case 'creative':
        if (provider === 'local') {
          throw validationFailed(
            'creative upscaling invents detail with a generative model; it needs Stability.',
          );
        }
        return requireStability('creative');
      default: {
        const factor = scaleFactor(src, target);
        if (factor <= 2) {
          return {
            mode: 'fast',
            route: 'local',
            autoReason: `${factor.toFixed(2)}× or less: Lanczos3 with sharpening is enough`,
          };
        }
        if (
          provider !== 'local' &&
          aspectFits(src, stabilityUpscaleLimits('conservative')) &&
          (await this.stabilityUsable(userId, 'conservative'))
        ) {
          return {
            mode: 'conservative',
            route: 'cloud',
            autoReason: `${factor.toFixed(2)}× with a Stability key: Stability conservative`,
          };
        }
        if (pixelCount(src) <= AUTO_LOCAL_SR_MAX_INPUT) {
          return {
            mode: 'conservative',
            route: 'local',
            autoReason: `${factor.toFixed(2)}× of a small image without a cloud key: local super-resolution`,
          };
        }
        return {
          mode: 'fast',
          route: 'local',
          autoReason: `${factor.toFixed(2)}× of a large image without a cloud key: Lanczos3`,
        };
      }
    }
  }

  async run(job: JobContext<UpscaleJobInput>): Promise<StudioJobResult> {
    const input = job.input;
    const { io } = this.deps;
    await job.progress(5, 'loading the image');
    const source = await io.reload(job.userId, input.inputAssetId);
    const charge = { jobId: job.jobId, userId: job.userId, signal: job.signal };
    const params = {
      mode: input.mode,
      route: input.route,
      auto_reason: input.autoReason ?? null,
      preset: input.preset ?? null,
      target_width: input.target.width,
      target_height: input.target.height,
      target_source: input.target.source,
      input_width: source.width,
      input_height: source.height,
      prompt: input.prompt ?? null,
      output_format: input.outputFormat,
    };

    if (input.route === 'local') {
      return this.deps.billing.withCharge(
        charge,
        { provider: 'local', model: null, operation: `process.upscale_${input.mode}`, count: 1 },
        () =>
          this.deps.admission.localModel(
            source.width * source.height + input.target.width * input.target.height,
            job.signal,
            async () => {
              const raw = await source.decodeRaw();
              const { image, model, note } = await this.localUpscale(raw, input, job);
              await job.progress(92, 'saving');
              const out = await exactResize(image, input.target, model === 'lanczos3');
              const bytes = await encodeRaw(out, input.outputFormat);
              await job.commit();
              return this.save(
                job.userId,
                input,
                bytes,
                { ...params, note: note ?? null },
                'local',
                model,
                0,
              );
            },
          ),
      );
    }

    const operation = `upscale.${input.mode}` as const;
    const candidates: Candidate[] = await cloudCandidates(this.deps.gateway, job.userId, operation, {
      provider: 'stability',
    });
    const first = candidates[0] as Candidate;
    return this.deps.billing.withCharge(
      charge,
      {
        provider: first.provider,
        model: first.model,
        operation,
        count: 1,
        ...input.target,
        fallbacks: candidates.slice(1),
      },
      async (meter) => {
        await job.progress(15, `sent to ${first.provider}${input.mode === 'creative' ? ' (polling)' : ''}`);
        const result = await this.deps.gateway.run(coveredCandidates(candidates, meter), {
          operation,
          image: await fitInput(source.bytes, source, stabilityUpscaleLimits(input.mode)),
          prompt: input.prompt,
          negativePrompt: input.negativePrompt,
          creativity: input.creativity,
          seed: input.seed,
          outputFormat: 'png',
          signal: job.signal,
        });
        await job.progress(85, 'resizing to the exact target');
        const out = await exactResizeBytes(result.image, input.target);
        const bytes = await encodeRaw(out, input.outputFormat);
        const charged = {
          provider: result.provider,
          model: result.model,
          operation,
          width: result.width,
          height: result.height,
        };
        meter.delivered(charged);
        await job.commit();
        return this.save(
          job.userId,
          input,
          bytes,
          {
            ...params,
            provider_width: result.width,
            provider_height: result.height,
            provider_request_id: result.requestId ?? null,
          },
          result.provider,
          result.model,
          this.deps.billing.chargeFor([charged]),
        );
      },
    );
  }

  private async localUpscale(
    raw: RawImage,
    input: UpscaleJobInput,
    job: JobContext<UpscaleJobInput>,
  ): Promise<{ image: RawImage; model: string; note?: string }> {
    if (input.mode !== 'conservative') return { image: raw, model: 'lanczos3' };
    if (scaleFactor(raw, input.target) <= 1) {
      return { image: raw, model: 'lanczos3', note: 'the target is not larger than the input' };
    }
    if (pixelCount(raw) > LOCAL_SR_MAX_INPUT) {
      return { image: raw, model: 'lanczos3', note: 'input above 1 MP: local super-resolution skipped' };
    }
    await job.progress(10, 'super-resolution');
    const image = await upscaleConservative(raw, {
      onProgress: (f) => void job.progress(10 + f * 80, `super-resolution ${Math.round(f * 100)}%`),
      signal: job.signal,
    });
    return { image, model: `esrgan-thick-${SUPER_RESOLUTION_SCALE}x` };
  }

  private async save(
    userId: number,
    input: UpscaleJobInput,
    bytes: Buffer,
    params: Record<string, unknown>,
    provider: string,
    model: string,
    cost: number,
  ): Promise<StudioJobResult> {
    const asset = await this.deps.io.saveResult({
      userId,
      bytes,
      sourceModule: 'upscale',
      operation: `upscale.${input.mode}`,
      provider,
      model,
      prompt: input.prompt ?? null,
      parentId: input.inputAssetId,
      params,
      costCredits: cost,
      tags: [input.mode, ...(input.preset ? [input.preset] : [])],
    });
    return {
      asset_id: asset.id,
      input_asset_id: input.inputAssetId,
      operation: `upscale.${input.mode}`,
      provider,
      model,
      width: asset.width,
      height: asset.height,
      mime: asset.mime_type,
      cost_credits: cost,
      metadata: { ...params, width: asset.width, height: asset.height, provider, model },
    };
  }
}
