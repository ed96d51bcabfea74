import type { EditImageRequest, EditJobInput, ResultNotice, StudioJobResult } from '@studio/contracts';
import { localNotices } from '@studio/contracts/rules';
import { coveredCandidates } from '../billing/covered.ts';
import { badRequest, isAppError, validationFailed } from '../errors.ts';
import { type Backdrop, composeOnBackdrop } from '../imaging/local/backdrop.ts';
import { maskArea, normaliseMask } from '../imaging/local/mask.ts';
import type { RawImage, RawMask } from '../imaging/local/raw-image.ts';
import { decodeRgbaAt, encodeRaw, toFormat } from '../imaging/studio-encode.ts';
import type { JobContext } from '../jobs/job.types.ts';
import type { Candidate } from '../providers/selection.ts';
import type { EditOp, OutputFormat, Size } from '../providers/types.ts';
import { cloudCandidates } from '../studio/cloud.ts';
import type { LoadedInput, StudioDeps } from '../studio/studio-io.ts';
import {
  checkEditRequest,
  type EditChoice,
  type EditUploads,
  editInputs,
  runsLocallyWithoutCloud,
} from './edit-checks.ts';
import { editRequest } from './edit-request.ts';
import {
  assertOutpaintCanvas,
  localCutout,
  localFill,
  localOutpaint,
  localRecolor,
  outpaintCanvas,
} from './local-edit.ts';
import { EDIT_OPERATIONS } from './operations.ts';

export type EditServiceDeps = StudioDeps & {
  /** Largest canvas an outpaint may produce. */
  maxOutpaintPixels: number;
};

const DEFAULT_BLUR = 24;
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/**
 * Edit Studio. `prepare` validates a request completely (fields, images, mask, provider) and only
 * then stores its inputs, so a bad request leaves no row, no blob and no charge; the `edit` job
 * (`run`) performs the operation locally or through the provider gateway and saves the result as an
 * asset whose parent is the input.
 */
export class EditService {
  constructor(private readonly deps: EditServiceDeps) {}

  async prepare(userId: number, req: EditImageRequest, uploads: EditUploads = {}): Promise<EditJobInput> {
    const op = req.operation;
    const prompt = opt(req.prompt)?.trim() || undefined;
    const provider = opt(req.provider) ?? undefined;
    const expand = {
      left: req.expand_left ?? 0,
      right: req.expand_right ?? 0,
      up: req.expand_up ?? 0,
      down: req.expand_down ?? 0,
    };
    const light = req.options ?? {};
    const inputs = editInputs(req, uploads);
    const choice: EditChoice = { op, prompt, provider, expand };
    const checked = checkEditRequest(req, inputs, choice);

    const { io } = this.deps;
    const image = await io.require(userId, inputs.image, 'image_base64');
    const mask = await io.load(userId, inputs.mask, 'mask_base64');
    if (op === 'outpaint') assertOutpaintCanvas(image.image, expand, this.deps.maxOutpaintPixels);
    if (mask) {
      const { width, height } = image.image;
      const area = await this.deps.admission.request(
        mask.image.width * mask.image.height + width * height,
        async () => maskArea(await normaliseMask(await mask.image.decodeRaw(), width, height)),
      );
      if (area === 0) {
        throw validationFailed(
          'The mask has no white pixels: white marks the area to edit, black the area to keep.',
        );
      }
    }
    const background = await io.load(userId, inputs.background, 'background_image_base64');
    const lighting = await io.load(userId, inputs.lighting, 'lighting_image_base64');

    const route =
      checked === 'cloud' ? await this.cloudOrLocal(userId, req, choice, mask !== undefined) : checked;

    const store = (input: LoadedInput | undefined, title: string, tags: string[]) =>
      input ? io.store(userId, input, title, tags) : Promise.resolve(undefined);
    const inputAssetId = await io.store(userId, image, 'Edit Studio input', ['edit-input']);
    return {
      operation: op,
      route,
      inputAssetId,
      maskAssetId: await store(mask, 'Edit mask', ['mask']),
      backgroundAssetId: await store(background, 'Edit background', ['edit-input']),
      lightingAssetId: await store(lighting, 'Edit lighting reference', ['edit-input']),
      prompt,
      negativePrompt: opt(req.negative_prompt) || undefined,
      searchPrompt: opt(req.search_prompt) || undefined,
      selectPrompt: opt(req.select_prompt) || undefined,
      expand,
      provider,
      model: opt(req.model),
      stylePreset: opt(req.style_preset),
      guidance: opt(req.guidance_scale),
      steps: opt(req.steps),
      seed: opt(req.seed),
      outputFormat: req.output_format,
      growMask: req.options?.grow_mask,
      feather: req.options?.feather,
      backgroundColor: req.options?.background_color,
      blurRadius: req.options?.blur_radius,
      lightDirection: light.light_direction,
      lightStrength: light.light_strength,
      preserveSubject: light.preserve_subject,
    };
  }

  /**
   * `cloud`, or 409 `no_provider` naming the keys; but when no cloud provider is available and the
   * local implementation can serve the request, `local` (the result says what it left out).
   */
  private async cloudOrLocal(
    userId: number,
    req: EditImageRequest,
    choice: EditChoice,
    hasMask: boolean,
  ): Promise<'local' | 'cloud'> {
    try {
      await cloudCandidates(this.deps.gateway, userId, this.cloudOperation(choice.op), {
        provider: choice.provider,
        model: req.model,
      });
      return 'cloud';
    } catch (e) {
      if (isAppError(e) && e.code === 'no_provider' && runsLocallyWithoutCloud(req, choice, hasMask)) {
        return 'local';
      }
      throw e;
    }
  }

  /** replace_background's cloud part is only the cut-out; composing is always local. */
  private cloudOperation(op: EditOp): `edit.${EditOp}` {
    return op === 'replace_background' ? 'edit.remove_background' : `edit.${op}`;
  }

  async run(job: JobContext<EditJobInput>): Promise<StudioJobResult> {
    const input = job.input;
    const { io } = this.deps;
    await job.progress(5, 'loading the image');
    const source = await io.reload(job.userId, input.inputAssetId);
    const format: OutputFormat =
      input.outputFormat === 'jpeg' && input.operation === 'remove_background' ? 'png' : input.outputFormat;
    const base = {
      operation: `edit.${input.operation}`,
      parentId: input.inputAssetId,
      params: {
        operation: input.operation,
        route: input.route,
        prompt: input.prompt ?? null,
        negative_prompt: input.negativePrompt ?? null,
        search_prompt: input.searchPrompt ?? null,
        select_prompt: input.selectPrompt ?? null,
        style_preset: input.stylePreset ?? null,
        seed: input.seed ?? null,
        expand: input.operation === 'outpaint' ? input.expand : null,
        mask_asset_id: input.maskAssetId ?? null,
        background_asset_id: input.backgroundAssetId ?? null,
        lighting_asset_id: input.lightingAssetId ?? null,
        grow_mask: input.growMask ?? null,
        feather: input.feather ?? null,
        output_format: format,
      },
    };

    if (input.route === 'local') {
      return this.deps.billing.withCharge(
        { jobId: job.jobId, userId: job.userId, signal: job.signal },
        { provider: 'local', model: null, operation: `process.edit_${input.operation}`, count: 1 },
        () =>
          this.deps.admission.localModel(localPixels(input, source), job.signal, async () => {
            await job.progress(15, `running ${input.operation} on this server`);
            const raw = await source.decodeRaw();
            const out = await this.runLocal(job.userId, input, raw, job.signal);
            await job.progress(90, 'saving');
            const bytes = await encodeRaw(out, format);
            await job.commit();
            return this.save(job.userId, bytes, {
              ...base,
              provider: 'local',
              model: localModel(input.operation),
              cost: 0,
              notices: localNotices(input.operation, input),
            });
          }),
      );
    }

    const operation = this.cloudOperation(input.operation);
    const candidates = await cloudCandidates(
      this.deps.gateway,
      job.userId,
      operation,
      { provider: input.provider, model: input.model },
      await this.deps.billing.usableProviders(job.userId),
    );
    const first = candidates[0] as Candidate;
    return this.deps.billing.withCharge(
      { jobId: job.jobId, userId: job.userId, signal: job.signal },
      {
        provider: first.provider,
        model: first.model,
        operation,
        count: 1,
        width: source.width,
        height: source.height,
        fallbacks: candidates.slice(1),
      },
      async (meter) => {
        await job.progress(15, `sent to ${first.provider}`);
        // Stability takes a mask for inpaint and erase only.
        const sendsMask = input.operation === 'inpaint' || input.operation === 'erase';
        const mask = sendsMask ? await this.mask(job.userId, input, source) : undefined;
        const request = await editRequest(io, job.userId, input, source, mask, operation, job.signal);
        const result = await this.deps.gateway.run(coveredCandidates(candidates, meter), request);
        await job.progress(85, 'saving');
        let bytes = result.image;
        if (input.operation === 'replace_background') {
          const composed = await composeOnBackdrop(
            await decodeRgbaAt(result.image, source),
            await source.decodeRaw(),
            await this.backdrop(job.userId, input),
          );
          bytes = await encodeRaw(composed, format);
        } else {
          bytes = await toFormat(bytes, format);
        }
        const charged = {
          provider: result.provider,
          model: result.model,
          operation,
          width: result.width,
          height: result.height,
        };
        meter.delivered(charged);
        await job.commit();
        return this.save(job.userId, bytes, {
          ...base,
          params: {
            ...base.params,
            provider_request_id: result.requestId ?? null,
          },
          provider: result.provider,
          model: result.model,
          cost: this.deps.billing.chargeFor([charged]),
        });
      },
    );
  }

  private async runLocal(
    userId: number,
    input: EditJobInput,
    raw: RawImage,
    signal: AbortSignal,
  ): Promise<RawImage> {
    const mask = async () => {
      const m = await this.mask(userId, input, raw);
      if (!m) throw validationFailed('A mask is required.');
      return m;
    };
    const maskOptions = { grow: input.growMask, feather: input.feather };
    switch (input.operation) {
      case 'remove_background':
        return localCutout(raw);
      case 'erase':
      case 'inpaint':
        return localFill(raw, await mask(), { ...maskOptions, signal });
      case 'outpaint':
        return localOutpaint(raw, input.expand, signal);
      case 'search_recolor':
        return localRecolor(raw, await mask(), input.prompt ?? '', maskOptions);
      case 'replace_background':
        return composeOnBackdrop(await localCutout(raw), raw, await this.backdrop(userId, input));
      default:
        throw badRequest(`${input.operation} has no local implementation.`);
    }
  }

  /** The job's mask, normalised once for whichever path runs it. */
  private async mask(userId: number, input: EditJobInput, size: Size): Promise<RawMask | undefined> {
    if (input.maskAssetId === undefined) return undefined;
    const raw = await (await this.deps.io.reload(userId, input.maskAssetId)).decodeRaw();
    return normaliseMask(raw, size.width, size.height);
  }

  private async backdrop(userId: number, input: EditJobInput): Promise<Backdrop> {
    if (input.backgroundAssetId !== undefined) {
      return { kind: 'image', bytes: (await this.deps.io.reload(userId, input.backgroundAssetId)).bytes };
    }
    if (input.backgroundColor) return { kind: 'color', color: input.backgroundColor };
    return { kind: 'blur', radius: input.blurRadius ?? DEFAULT_BLUR };
  }

  private async save(
    userId: number,
    bytes: Buffer,
    r: {
      operation: string;
      parentId: number;
      params: Record<string, unknown>;
      provider: string;
      model: string | null;
      cost: number;
      notices?: ResultNotice[];
    },
  ): Promise<StudioJobResult> {
    const asset = await this.deps.io.saveResult({
      userId,
      bytes,
      sourceModule: 'edit',
      operation: r.operation,
      provider: r.provider,
      model: r.model,
      prompt: typeof r.params.prompt === 'string' ? r.params.prompt : null,
      parentId: r.parentId,
      params: r.params,
      costCredits: r.cost,
      tags: [String(r.params.operation)],
    });
    return {
      asset_id: asset.id,
      input_asset_id: r.parentId,
      operation: String(r.params.operation),
      provider: r.provider,
      model: r.model,
      width: asset.width,
      height: asset.height,
      mime: asset.mime_type,
      cost_credits: r.cost,
      metadata: {
        width: asset.width,
        height: asset.height,
        operation: r.params.operation,
        style_preset: r.params.style_preset ?? null,
        provider: r.provider,
        model: r.model,
        route: r.params.route,
      },
      notices: r.notices ?? [],
    };
  }
}

const localModel = (op: EditOp) => EDIT_OPERATIONS[op].localModel ?? null;

/** Pixels a local edit holds at once: the source, its result (outpaint: the larger canvas) and a mask. */
function localPixels(input: EditJobInput, source: { width: number; height: number }): number {
  const out = input.operation === 'outpaint' ? outpaintCanvas(source, input.expand) : source;
  return source.width * source.height + 2 * out.width * out.height;
}
