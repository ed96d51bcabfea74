import type { ControlImageRequest, ControlJobInput, StudioJobResult } from '@studio/contracts';
import { coveredCandidates } from '../billing/covered.ts';
import { validationFailed } from '../errors.ts';
import { toFormat } from '../imaging/studio-encode.ts';
import type { JobContext } from '../jobs/job.types.ts';
import type { Candidate } from '../providers/selection.ts';
import { cloudCandidates } from '../studio/cloud.ts';
import { given, type StudioDeps } from '../studio/studio-io.ts';
import { CONTROL_OPERATIONS } from './operations.ts';

export type ControlServiceDeps = StudioDeps;

/** Multipart file parts: the control image and the style image. */
export interface ControlUploads {
  control?: Buffer;
  style?: Buffer;
}

const num = (v: number | null | undefined, fallback: number | string | undefined): number | undefined =>
  v === null || v === undefined ? (typeof fallback === 'number' ? fallback : undefined) : v;

/**
 * Control Studio: sketch, structure, style and style transfer through Stability's control
 * endpoints. Sliders left out get the seed's defaults; an explicit 0 is sent as 0 (the original
 * replaced it with the default).
 */
export class ControlService {
  constructor(private readonly deps: ControlServiceDeps) {}

  /** `uploads` are multipart file parts' bytes, handed to the ingest path as they are. */
  async prepare(
    userId: number,
    req: ControlImageRequest,
    uploads: ControlUploads = {},
  ): Promise<ControlJobInput> {
    const op = req.operation;
    const spec = CONTROL_OPERATIONS[op];
    const applies = (name: keyof typeof spec.fields, v: unknown) => {
      if (v !== null && v !== undefined && !spec.fields[name]) {
        throw validationFailed(`${name} does not apply to ${op}.`);
      }
    };
    applies('control_strength', req.control_strength);
    applies('fidelity', req.fidelity);
    applies('style_strength', req.style_strength);
    applies('composition_fidelity', req.composition_fidelity);
    applies('change_strength', req.change_strength);
    applies('aspect_ratio', req.aspect_ratio);
    const styleInput = { base64: req.style_image_base64, assetId: req.style_asset_id, bytes: uploads.style };
    const hasStyle = given(styleInput);
    if (op === 'style_transfer' && !hasStyle) {
      throw validationFailed('style_transfer needs style_image_base64 (or style_asset_id).');
    }
    applies('style_image', hasStyle ? true : undefined);

    const { io } = this.deps;
    const control = await io.require(
      userId,
      { base64: req.control_image_base64, assetId: req.asset_id, bytes: uploads.control },
      'control_image_base64',
    );
    const style = await io.load(userId, styleInput, 'style_image_base64');
    await cloudCandidates(this.deps.gateway, userId, `control.${op}`, {
      provider: req.provider ?? undefined,
    });
    const d = spec.defaults;
    return {
      operation: op,
      inputAssetId: await io.store(userId, control, 'Control Studio input', ['control-input']),
      styleAssetId: style
        ? await io.store(userId, style, 'Control Studio style image', ['control-input'])
        : undefined,
      prompt: req.prompt,
      negativePrompt: req.negative_prompt || undefined,
      controlStrength: spec.fields.control_strength
        ? num(req.control_strength, d.control_strength)
        : undefined,
      fidelity: spec.fields.fidelity ? num(req.fidelity, d.fidelity) : undefined,
      styleStrength: spec.fields.style_strength ? num(req.style_strength, d.style_strength) : undefined,
      compositionFidelity: spec.fields.composition_fidelity
        ? num(req.composition_fidelity, d.composition_fidelity)
        : undefined,
      changeStrength: spec.fields.change_strength ? num(req.change_strength, d.change_strength) : undefined,
      aspectRatio: spec.fields.aspect_ratio ? (req.aspect_ratio ?? String(d.aspect_ratio)) : undefined,
      stylePreset: req.style_preset ?? undefined,
      seed: req.seed ?? undefined,
      outputFormat: req.output_format,
    };
  }

  async run(job: JobContext<ControlJobInput>): Promise<StudioJobResult> {
    const input = job.input;
    const { io } = this.deps;
    const operation = `control.${input.operation}` as const;
    await job.progress(5, 'loading the image');
    const source = await io.reload(job.userId, input.inputAssetId);
    const style =
      input.styleAssetId === undefined ? undefined : await io.reload(job.userId, input.styleAssetId);
    const candidates: Candidate[] = await cloudCandidates(
      this.deps.gateway,
      job.userId,
      operation,
      {},
      await this.deps.billing.usableProviders(job.userId),
    );
    const first = candidates[0] as Candidate;
    return this.deps.billing.withCharge(
      { jobId: job.jobId, userId: job.userId, signal: job.signal },
      { provider: first.provider, model: first.model, operation, count: 1, fallbacks: candidates.slice(1) },
      async (meter) => {
        await job.progress(15, `sent to ${first.provider}`);
        const result = await this.deps.gateway.run(coveredCandidates(candidates, meter), {
          operation,
          image: source.bytes,
          referenceImage: style?.bytes,
          prompt: input.prompt,
          negativePrompt: input.negativePrompt,
          controlStrength: input.controlStrength,
          fidelity: input.fidelity,
          styleStrength: input.styleStrength,
          compositionFidelity: input.compositionFidelity,
          changeStrength: input.changeStrength,
          aspectRatio: input.aspectRatio,
          stylePreset: input.stylePreset,
          seed: input.seed,
          outputFormat: input.outputFormat,
          signal: job.signal,
        });
        const bytes = await toFormat(result.image, input.outputFormat);
        const charged = {
          provider: result.provider,
          model: result.model,
          operation,
          width: result.width,
          height: result.height,
        };
        meter.delivered(charged);
        const cost = this.deps.billing.chargeFor([charged]);
        const params = {
          operation: input.operation,
          prompt: input.prompt,
          negative_prompt: input.negativePrompt ?? null,
          control_strength: input.controlStrength ?? null,
          fidelity: input.fidelity ?? null,
          style_strength: input.styleStrength ?? null,
          composition_fidelity: input.compositionFidelity ?? null,
          change_strength: input.changeStrength ?? null,
          aspect_ratio: input.aspectRatio ?? null,
          style_preset: input.stylePreset ?? null,
          seed: result.seed ?? input.seed ?? null,
          style_asset_id: input.styleAssetId ?? null,
          output_format: input.outputFormat,
        };
        await job.commit();
        const asset = await io.saveResult({
          userId: job.userId,
          bytes,
          sourceModule: 'control',
          operation,
          provider: result.provider,
          model: result.model,
          prompt: input.prompt,
          parentId: input.inputAssetId,
          params,
          costCredits: cost,
          tags: [input.operation],
        });
        return {
          asset_id: asset.id,
          input_asset_id: input.inputAssetId,
          operation: input.operation,
          provider: result.provider,
          model: result.model,
          width: asset.width,
          height: asset.height,
          mime: asset.mime_type,
          cost_credits: cost,
          metadata: {
            ...params,
            width: asset.width,
            height: asset.height,
            provider: result.provider,
            model: result.model,
          },
        };
      },
    );
  }
}
