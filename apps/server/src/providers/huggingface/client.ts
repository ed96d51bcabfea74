import { providerError } from '../errors.ts';
import { classifyStatus, errorText, type HttpResponse, type ProviderFailure } from '../http-client.ts';
import {
  asString,
  checkLimits,
  finishResult,
  isRecord,
  makeHttp,
  outputSize,
  type ProviderClientOptions,
  parseJson,
  requireModel,
} from '../shared.ts';
import type { ImageProvider, ProviderAuth } from '../types.ts';
import { huggingfaceCatalogue } from './catalog.ts';

const MODERATION = /nsfw|safety checker|unsafe content|content policy/i;

/** HF bodies carry the message in `error`, `detail` or `message`, or are plain text. */
export function classifyHuggingface(res: HttpResponse): ProviderFailure {
  const body = parseJson(res.body);
  const pick = (k: string) => (isRecord(body) ? asString(body[k]) : undefined);
  const message = pick('error') ?? pick('detail') ?? pick('message') ?? errorText(res);
  if (res.status === 503 && isRecord(body) && typeof body.estimated_time === 'number') {
    // A cold start: the model was loading and did not take the request, so waiting and re-sending is safe.
    return {
      code: 'provider_unavailable',
      message,
      retryAfterMs: Math.ceil(body.estimated_time * 1000),
      notAccepted: true,
    };
  }
  if (res.status >= 400 && res.status < 500 && MODERATION.test(message ?? ''))
    return { code: 'content_moderated', message };
  return classifyStatus(res, message);
}

/** Hugging Face Inference, hf-inference provider (providers.md §3): JSON in, image bytes out. */
export function createHuggingfaceProvider(opts: ProviderClientOptions): ImageProvider {
  const http = makeHttp('huggingface', opts, classifyHuggingface);
  const headers = (auth: ProviderAuth) => ({
    authorization: `Bearer ${auth.apiKey}`,
    'content-type': 'application/json',
  });

  async function decode(res: HttpResponse, signal?: AbortSignal): Promise<Buffer> {
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json')) return res.body;
    // Other router backends answer JSON: OpenAI-style base64 or a list of output URLs.
    const body = parseJson(res.body);
    const first = isRecord(body) && Array.isArray(body.data) ? body.data[0] : undefined;
    const b64 = isRecord(first) ? asString(first.b64_json) : undefined;
    if (b64) return Buffer.from(b64, 'base64');
    const url = isRecord(body) && Array.isArray(body.output) ? asString(body.output[0]) : undefined;
    if (url) return (await http.send({ method: 'GET', url, idempotent: true, signal })).body;
    throw providerError('provider_unavailable', 'huggingface', {
      providerMessage: 'JSON answer without an image',
    });
  }

  return {
    id: 'huggingface',
    catalogue: huggingfaceCatalogue,
    health: () => ({ state: http.breaker.state, retryInMs: http.breaker.retryInMs() }),
    async run(req, auth) {
      const spec = requireModel('huggingface', huggingfaceCatalogue.models, req);
      await checkLimits('huggingface', spec, req);
      if (!req.prompt)
        throw providerError('provider_rejected', 'huggingface', { providerMessage: 'inputs: is required' });
      const size = outputSize(spec, req);
      const parameters: Record<string, number | string> = { width: size.width, height: size.height };
      if (req.seed !== undefined) parameters.seed = req.seed;
      if (req.steps !== undefined) parameters.num_inference_steps = req.steps;
      if (spec.supports.guidance && req.guidance !== undefined) parameters.guidance_scale = req.guidance;
      if (spec.supports.negativePrompt && req.negativePrompt) parameters.negative_prompt = req.negativePrompt;
      const res = await http.send({
        method: 'POST',
        url: `${opts.baseUrl}/models/${spec.id}`,
        headers: headers(auth),
        body: JSON.stringify({ inputs: req.prompt, parameters }),
        idempotent: false,
        signal: req.signal,
      });
      return finishResult('huggingface', req.operation, spec.id, await decode(res, req.signal), {
        seed: req.seed,
        requestId: res.headers.get('x-request-id') ?? undefined,
      });
    },
    async testConnection(auth) {
      // An empty body is refused by validation (400/422) only after the token was accepted, and costs nothing.
      await http.send({
        method: 'POST',
        url: `${opts.baseUrl}/models/${huggingfaceCatalogue.models[0]!.id}`,
        headers: headers(auth),
        body: '{}',
        idempotent: true,
        passStatuses: [400, 422],
      });
    },
  };
}
