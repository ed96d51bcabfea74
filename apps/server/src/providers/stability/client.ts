import { providerError } from '../errors.ts';
import type { HttpResponse } from '../http-client.ts';
import {
  checkLimits,
  DEFAULT_POLL,
  extensionFor,
  finishResult,
  imageBlob,
  isRecord,
  makeHttp,
  outputSize,
  type ProviderClientOptions,
  parseJson,
  pollUntil,
  requireModel,
  sniffMime,
} from '../shared.ts';
import type { ImageProvider, ProviderAuth, ProviderRequest, ProviderResult } from '../types.ts';
import { STABILITY_STYLE_PRESETS, stabilityCatalogue } from './catalog.ts';
import { classifyStability } from './errors.ts';

const PATHS: Readonly<Record<string, string>> = {
  ultra: '/v2beta/stable-image/generate/ultra',
  core: '/v2beta/stable-image/generate/core',
  'sd3.5-large': '/v2beta/stable-image/generate/sd3',
  'sd3.5-large-turbo': '/v2beta/stable-image/generate/sd3',
  'sd3.5-medium': '/v2beta/stable-image/generate/sd3',
  erase: '/v2beta/stable-image/edit/erase',
  inpaint: '/v2beta/stable-image/edit/inpaint',
  outpaint: '/v2beta/stable-image/edit/outpaint',
  'search-and-replace': '/v2beta/stable-image/edit/search-and-replace',
  'search-and-recolor': '/v2beta/stable-image/edit/search-and-recolor',
  'remove-background': '/v2beta/stable-image/edit/remove-background',
  'replace-background-and-relight': '/v2beta/stable-image/edit/replace-background-and-relight',
  'upscale-fast': '/v2beta/stable-image/upscale/fast',
  'upscale-conservative': '/v2beta/stable-image/upscale/conservative',
  'upscale-creative': '/v2beta/stable-image/upscale/creative',
  'control-sketch': '/v2beta/stable-image/control/sketch',
  'control-structure': '/v2beta/stable-image/control/structure',
  'control-style': '/v2beta/stable-image/control/style',
  'control-style-transfer': '/v2beta/stable-image/control/style-transfer',
};
const ASYNC_MODELS = new Set(['replace-background-and-relight', 'upscale-creative']);
const DEFAULT_UPSCALE_PROMPT = 'High fidelity upscale preserving original details';
/** Stability requires `strength` whenever `image` is sent; halfway between keeping and ignoring it. */
const DEFAULT_STRENGTH = 0.5;

class Form {
  readonly data = new FormData();
  text(name: string, value: string | number | boolean | undefined): this {
    if (value !== undefined && value !== '') this.data.append(name, String(value));
    return this;
  }
  file(name: string, bytes: Buffer | undefined): this {
    if (bytes) this.data.append(name, imageBlob(bytes), `${name}.${extensionFor(sniffMime(bytes))}`);
    return this;
  }
}

const missing = (field: string) =>
  providerError('provider_rejected', 'stability', { providerMessage: `${field}: is required` });

/** Builds the multipart body for one model, sending only the fields that endpoint accepts. */
function buildForm(model: string, req: ProviderRequest): Form {
  const f = new Form();
  // Our style presets are a superset of Stability's enum, and SD3 has no WebP: anything the endpoint
  // does not take is left out (Stability's default applies) rather than failing the user's request.
  const preset = (STABILITY_STYLE_PRESETS as readonly string[]).includes(req.stylePreset ?? '')
    ? req.stylePreset
    : undefined;
  const format = model.startsWith('sd3') && req.outputFormat === 'webp' ? undefined : req.outputFormat;
  const common = () => f.text('seed', req.seed).text('output_format', format);
  const needImage = () => {
    if (!req.image) throw missing('image');
    return req.image;
  };
  const needPrompt = () => {
    if (!req.prompt) throw missing('prompt');
    return req.prompt;
  };
  switch (model) {
    case 'ultra':
    case 'core':
    case 'sd3.5-large':
    case 'sd3.5-large-turbo':
    case 'sd3.5-medium': {
      const spec = stabilityCatalogue.models.find((m) => m.id === model)!;
      f.text('prompt', needPrompt()).text('negative_prompt', req.negativePrompt);
      const fromImage = req.image !== undefined && spec.supports.imageToImage === true;
      // SD3 takes aspect_ratio only in text-to-image; its image-to-image output follows the image.
      if (!(fromImage && model.startsWith('sd3'))) f.text('aspect_ratio', outputSize(spec, req).aspectRatio);
      if (fromImage) f.file('image', req.image).text('strength', req.strength ?? DEFAULT_STRENGTH);
      if (model.startsWith('sd3'))
        f.text('model', model)
          .text('mode', fromImage ? 'image-to-image' : 'text-to-image')
          .text('cfg_scale', req.guidance);
      else f.text('style_preset', preset);
      return common();
    }
    case 'erase':
      f.file('image', needImage()).file('mask', req.mask).text('grow_mask', req.growMask);
      return common();
    case 'inpaint':
      f.file('image', needImage()).file('mask', req.mask).text('prompt', needPrompt());
      f.text('negative_prompt', req.negativePrompt)
        .text('grow_mask', req.growMask)
        .text('style_preset', preset);
      return common();
    case 'outpaint': {
      const e = req.expand ?? {};
      if (!(e.left || e.right || e.up || e.down)) {
        throw providerError('provider_rejected', 'stability', {
          providerMessage: 'outpaint: at least one of left, right, up, down must be greater than 0',
        });
      }
      f.file('image', needImage())
        .text('left', e.left)
        .text('right', e.right)
        .text('up', e.up)
        .text('down', e.down);
      f.text('prompt', req.prompt).text('creativity', req.creativity);
      return common();
    }
    case 'search-and-replace':
      if (!req.searchPrompt) throw missing('search_prompt');
      f.file('image', needImage()).text('prompt', needPrompt()).text('search_prompt', req.searchPrompt);
      f.text('negative_prompt', req.negativePrompt).text('grow_mask', req.growMask);
      return common();
    case 'search-and-recolor':
      if (!req.selectPrompt) throw missing('select_prompt');
      f.file('image', needImage()).text('prompt', needPrompt()).text('select_prompt', req.selectPrompt);
      f.text('negative_prompt', req.negativePrompt).text('grow_mask', req.growMask);
      return common();
    case 'remove-background':
      return f
        .file('image', needImage())
        .text('output_format', req.outputFormat === 'jpeg' ? 'png' : req.outputFormat);
    case 'replace-background-and-relight':
      if (!req.backgroundPrompt && !req.referenceImage)
        throw missing('background_prompt or background_reference');
      f.file('subject_image', needImage()).file('background_reference', req.referenceImage);
      f.text('background_prompt', req.backgroundPrompt).text('foreground_prompt', req.foregroundPrompt);
      f.text('negative_prompt', req.negativePrompt).text('preserve_original_subject', req.preserveSubject);
      f.text('keep_original_background', req.keepOriginalBackground);
      f.text('light_source_direction', req.lightDirection).file('light_reference', req.lightReference);
      if (req.lightDirection || req.lightReference) f.text('light_source_strength', req.lightStrength);
      return common();
    case 'upscale-fast':
      return f.file('image', needImage()).text('output_format', req.outputFormat);
    case 'upscale-conservative':
    case 'upscale-creative':
      f.file('image', needImage()).text('prompt', req.prompt || DEFAULT_UPSCALE_PROMPT);
      f.text('negative_prompt', req.negativePrompt).text('creativity', req.creativity);
      if (model === 'upscale-creative') f.text('style_preset', preset);
      return common();
    case 'control-sketch':
    case 'control-structure':
      f.file('image', needImage()).text('prompt', needPrompt()).text('control_strength', req.controlStrength);
      f.text('negative_prompt', req.negativePrompt).text('style_preset', preset);
      return common();
    case 'control-style': {
      const spec = stabilityCatalogue.models.find((m) => m.id === model)!;
      f.file('image', needImage()).text('prompt', needPrompt()).text('negative_prompt', req.negativePrompt);
      f.text('aspect_ratio', outputSize(spec, req).aspectRatio).text('fidelity', req.fidelity);
      f.text('style_preset', preset);
      return common();
    }
    case 'control-style-transfer':
      if (!req.referenceImage) throw missing('style_image');
      f.file('init_image', needImage()).file('style_image', req.referenceImage);
      f.text('prompt', req.prompt).text('negative_prompt', req.negativePrompt);
      f.text('style_strength', req.styleStrength).text('composition_fidelity', req.compositionFidelity);
      f.text('change_strength', req.changeStrength);
      return common();
    default:
      throw providerError('provider_rejected', 'stability', { providerMessage: `unknown model ${model}` });
  }
}

/** Stability AI REST v2beta (providers.md §1): multipart requests, image bytes back, two async endpoints. */
export function createStabilityProvider(opts: ProviderClientOptions): ImageProvider {
  const http = makeHttp('stability', opts, classifyStability);
  const poll = opts.poll ?? { ...DEFAULT_POLL, intervalMs: 10_000 };
  const headers = (auth: ProviderAuth, accept?: string): Record<string, string> => ({
    authorization: `Bearer ${auth.apiKey}`,
    ...(accept ? { accept } : {}),
  });

  const fromImageResponse = (req: ProviderRequest, res: HttpResponse) => {
    const seed = res.headers.get('seed');
    return finishResult('stability', req.operation, req.model, res.body, {
      seed: seed ? Number(seed) : undefined,
      requestId: res.headers.get('x-request-id') ?? undefined,
      moderated: res.headers.get('finish-reason') === 'CONTENT_FILTERED',
    });
  };

  async function runAsync(
    req: ProviderRequest,
    auth: ProviderAuth,
    path: string,
    form: Form,
  ): Promise<ProviderResult> {
    const start = await http.send({
      method: 'POST',
      url: `${opts.baseUrl}${path}`,
      headers: headers(auth),
      body: form.data,
      idempotent: false,
      signal: req.signal,
    });
    const body = parseJson(start.body);
    const id = isRecord(body) && typeof body.id === 'string' ? body.id : undefined;
    if (!id)
      throw providerError('provider_unavailable', 'stability', {
        providerMessage: 'async start returned no id',
      });
    const done = await pollUntil(
      'stability',
      poll,
      async () => {
        const res = await http.send({
          method: 'GET',
          url: `${opts.baseUrl}/v2beta/results/${encodeURIComponent(id)}`,
          headers: headers(auth, 'image/*'),
          idempotent: true,
          signal: req.signal,
        });
        return res.status === 202 ? undefined : res;
      },
      req.signal,
      opts.sleep,
    );
    const result = await fromImageResponse(req, done);
    return { ...result, requestId: result.requestId ?? id };
  }

  return {
    id: 'stability',
    catalogue: stabilityCatalogue,
    health: () => ({ state: http.breaker.state, retryInMs: http.breaker.retryInMs() }),
    async run(req, auth) {
      const spec = requireModel('stability', stabilityCatalogue.models, req);
      await checkLimits('stability', spec, req);
      const path = PATHS[req.model]!;
      const form = buildForm(req.model, req);
      if (ASYNC_MODELS.has(req.model)) return runAsync(req, auth, path, form);
      const res = await http.send({
        method: 'POST',
        url: `${opts.baseUrl}${path}`,
        headers: headers(auth, 'image/*'),
        body: form.data,
        idempotent: false,
        signal: req.signal,
      });
      return fromImageResponse(req, res);
    },
    async testConnection(auth) {
      await http.send({
        method: 'GET',
        url: `${opts.baseUrl}/v1/user/balance`,
        headers: headers(auth, 'application/json'),
        idempotent: true,
      });
    },
  };
}
