import type {
  CreateImageRequest,
  CreateJobInput,
  CreateJobResult,
  CreateVariationFailed,
  CreateVariationSaved,
} from '@studio/contracts';
import type { AssetService } from '../assets/asset.service.ts';
import type { BillingService } from '../billing/billing.service.ts';
import { coveredCandidates } from '../billing/covered.ts';
import { AppError, badRequest } from '../errors.ts';
import { toExactSize } from '../imaging/exact-size.ts';
import type { FaceDetector } from '../imaging/faces.ts';
import type { JobContext } from '../jobs/job.types.ts';
import type { PersonaService } from '../personas/persona.service.ts';
import type { ProviderGateway } from '../providers/gateway.ts';
import { modelForReference, referenceCandidates } from '../providers/reference-models.ts';
import type { Candidate } from '../providers/selection.ts';
import type { StudioIo } from '../studio/studio-io.ts';
import type { TemplateService } from '../templates/template.service.ts';
import type { Template } from '../templates/template.types.ts';
import { mapLimited } from '../util/map-limited.ts';
import { targetSize } from './dimensions.ts';
import { buildPrompt } from './prompt-builder.ts';
import { isStylePreset, STYLE_PRESET_NAMES } from './style-presets.ts';

export interface CreateServiceDeps {
  templates: TemplateService;
  personas: PersonaService;
  billing: BillingService;
  assets: AssetService;
  providers: Pick<ProviderGateway, 'candidates' | 'run'>;
  faces: FaceDetector;
  /** The one ingest path for the reference image (image-to-image). */
  io: Pick<StudioIo, 'load' | 'store' | 'reload'>;
  /** Variations of one request running at once against one provider. */
  concurrency?: number;
}

/**
 * Create Studio: prompt → images at the exact size asked, on any provider. Runs as the `create`
 * job: choose provider and model (explicit wins; auto by template hint, quality, keys and the plan), build the
 * prompt (template scaffold, style, persona), reserve credits, generate the variations concurrently
 * (seed + i each), bring each to the exact size, save it as an asset, charge only what succeeded.
 */
export class CreateService {
  private readonly concurrency: number;

  constructor(private readonly deps: CreateServiceDeps) {
    this.concurrency = deps.concurrency ?? 4;
  }

  /**
   * Checks a request's reference image (decoded through the ingest path) and that the chosen provider can
   * take it, and only then stores it as an upload asset: the job gets its id, and a bad request leaves nothing.
   */
  async prepare(userId: number, req: Omit<CreateImageRequest, 'async'>): Promise<CreateJobInput> {
    const { reference_image_base64, ...input } = req;
    if (typeof input.strength === 'number' && !reference_image_base64 && !input.reference_asset_id) {
      throw badRequest(
        'strength applies to a reference image: send reference_image_base64 or reference_asset_id.',
      );
    }
    const reference = await this.deps.io.load(
      userId,
      { base64: reference_image_base64, assetId: input.reference_asset_id },
      'reference_image_base64',
    );
    if (!reference) return input;
    const template = input.template_id ? this.deps.templates.require(input.template_id) : undefined;
    await this.choose(userId, input, template, true);
    const id = await this.deps.io.store(userId, reference, 'Create reference', ['create-reference']);
    return { ...input, reference_asset_id: id };
  }

  /** Provider/model candidates in order; with a reference image only those that take one. */
  private async choose(
    userId: number,
    input: CreateJobInput,
    template: Template | undefined,
    withReference: boolean,
  ): Promise<Candidate[]> {
    const model = withReference
      ? modelForReference(input.provider, input.model, input.quality)
      : (input.model ?? undefined);
    const found = await this.deps.providers.candidates(userId, {
      operation: 'create',
      provider: input.provider,
      model,
      quality: input.quality,
      templateHint: template?.recommended_provider,
    });
    const available = withReference ? referenceCandidates(found, Boolean(model)) : found;
    const allowed = await this.deps.billing.usableProviders(userId);
    const inPlan = available.filter((c) => allowed.includes(c.provider));
    // When the plan allows none of them, the first is kept so the charge refuses it with plan_limit.
    return inPlan.length ? inPlan : available.slice(0, 1);
  }

  async run(job: JobContext<CreateJobInput>): Promise<CreateJobResult> {
    const input = job.input;
    const template = input.template_id ? this.deps.templates.require(input.template_id) : undefined;
    if (input.style_preset && !isStylePreset(input.style_preset)) {
      throw badRequest(
        `Unknown style_preset ${input.style_preset}. Known: ${STYLE_PRESET_NAMES.join(', ')}.`,
      );
    }
    const persona = await this.deps.personas.resolve(job.userId, input.use_persona, input.persona_id);
    const target = targetSize({
      width: input.width,
      height: input.height,
      aspectRatio: input.aspect_ratio,
      template: template && { width: template.width, height: template.height },
    });
    const referenceId = input.reference_asset_id ?? undefined;
    const candidates = await this.choose(job.userId, input, template, referenceId !== undefined);
    const reference = referenceId ? await this.deps.io.reload(job.userId, referenceId) : undefined;
    const first = candidates[0];
    if (!first) {
      throw badRequest('No provider can create this image.');
    }
    const built = buildPrompt({
      prompt: input.prompt,
      negativePrompt: input.negative_prompt,
      stylePreset: input.style_preset,
      enhance: input.enhance_prompt,
      template,
      persona,
    });

    const n = input.num_variations;
    let done = 0;
    const results = await this.deps.billing.withCharge(
      { jobId: job.jobId, userId: job.userId, signal: job.signal },
      {
        provider: first.provider,
        model: first.model,
        operation: 'create',
        count: n,
        width: target.width,
        height: target.height,
        quality: input.quality,
        fallbacks: candidates.slice(1).map((c) => ({ provider: c.provider, model: c.model })),
      },
      async (meter) => {
        const covered = coveredCandidates(candidates, meter);
        const one = async (i: number): Promise<CreateVariationSaved | CreateVariationFailed> => {
          const variation = i + 1;
          const seed = input.seed ? input.seed + i : undefined;
          try {
            const generated = await this.deps.providers.run(covered, {
              operation: 'create',
              prompt: built.prompt,
              negativePrompt: built.negativePrompt,
              stylePreset: built.stylePreset,
              width: target.width,
              height: target.height,
              seed,
              guidance: input.guidance_scale ?? undefined,
              steps: input.steps ?? undefined,
              brandColors: persona?.colors,
              headline: input.prompt,
              image: reference?.bytes,
              strength: reference ? (input.strength ?? undefined) : undefined,
              signal: job.signal,
            });
            const exact = await toExactSize(generated.image, target, this.deps.faces);
            const cost = this.deps.billing.chargeFor([
              { provider: generated.provider, model: generated.model, operation: 'create', ...target },
            ]);
            const metadata = {
              template_id: template?.id ?? null,
              quality: input.quality,
              style_preset: built.stylePreset ?? null,
              negative_prompt: built.negativePrompt ?? null,
              persona_id: persona?.id ?? null,
              generated_width: generated.width,
              generated_height: generated.height,
              crop: exact.crop ?? null,
              kind: generated.kind,
              provider_request_id: generated.requestId ?? null,
              reference_asset_id: referenceId ?? null,
              strength: reference ? (input.strength ?? null) : null,
            };
            await job.commit();
            const { asset } = await this.deps.assets.create({
              userId: job.userId,
              bytes: exact.bytes,
              sourceModule: 'create',
              operation: 'create',
              provider: generated.provider,
              model: generated.model,
              prompt: input.prompt,
              title: template ? `${template.name} – ${input.prompt.slice(0, 60)}` : input.prompt.slice(0, 80),
              params: {
                ...metadata,
                enhanced_prompt: built.prompt,
                seed: generated.seed ?? seed ?? null,
                variation,
                guidance_scale: input.guidance_scale ?? null,
                steps: input.steps ?? null,
              },
              tags: [
                'create',
                template?.platform,
                template?.category,
                generated.kind === 'layout' ? 'layout' : 'ai',
              ].filter((t): t is string => Boolean(t)),
              parentIds: referenceId ? [referenceId] : undefined,
              costCredits: cost,
            });
            meter.delivered({
              provider: generated.provider,
              model: generated.model,
              operation: 'create',
              ...target,
            });
            return {
              variation,
              asset_id: asset.id,
              file_url: asset.file_url,
              thumbnail_url: asset.thumbnail_url,
              width: exact.width,
              height: exact.height,
              provider: generated.provider,
              model: generated.model,
              seed: generated.seed ?? seed ?? null,
              cost_credits: cost,
              metadata,
            };
          } catch (e) {
            if (!(e instanceof AppError)) {
              throw e;
            }
            return { variation, error: e.message, code: e.code, status: e.status };
          } finally {
            done++;
            await job.progress((done / n) * 100, `${done} of ${n} variations`);
          }
        };
        return mapLimited(
          Array.from({ length: n }, (_, i) => i),
          this.concurrency,
          one,
        );
      },
    );

    const ok = results.filter((r): r is CreateVariationSaved => 'asset_id' in r);
    if (ok.length === 0) {
      const firstError = results.find((r): r is CreateVariationFailed => 'error' in r);
      if (firstError && results.every((r) => 'code' in r && r.code === firstError.code)) {
        // Every variation failed the same way (bad key, moderation, outage): that is the request's error.
        throw new AppError(firstError.status, firstError.code, firstError.error);
      }
    }
    return {
      request: {
        prompt: input.prompt,
        enhanced_prompt: input.enhance_prompt || persona ? built.prompt : null,
        negative_prompt: built.negativePrompt ?? null,
        template_id: template?.id ?? null,
        template_name: template?.name ?? null,
        provider: ok[0]?.provider ?? first.provider,
        model: ok[0]?.model ?? first.model,
        dimensions: `${target.width}x${target.height}`,
        quality: input.quality,
        num_variations: n,
        persona_id: persona?.id ?? null,
      },
      results,
      total_generated: ok.length,
      total_failed: results.length - ok.length,
      total_cost_credits: ok.reduce((s, r) => s + r.cost_credits, 0),
    };
  }
}
