import { imageDimensions } from '../../imaging/probe.ts';
import { providerError } from '../errors.ts';
import type { HttpResponse } from '../http-client.ts';
import {
  asString,
  checkLimits,
  finishResult,
  isRecord,
  makeHttp,
  type ProviderClientOptions,
  parseJson,
  requireModel,
  sniffMime,
} from '../shared.ts';
import { nearestSize, sizeForAspectRatio } from '../sizing.ts';
import type { ImageProvider, ModelSpec, ProviderAuth, ProviderRequest } from '../types.ts';
import { geminiCatalogue, IMAGEN_MODEL_PREFIX } from './catalog.ts';
import { classifyGemini } from './errors.ts';

const BLOCKING_FINISH = new Set([
  'SAFETY',
  'PROHIBITED_CONTENT',
  'IMAGE_SAFETY',
  'BLOCKLIST',
  'SPII',
  'RECITATION',
]);

export interface GeminiOptions extends ProviderClientOptions {
  imagenEnabled: boolean;
}

const moderated = (message: string, requestId?: string) =>
  providerError('content_moderated', 'gemini', { providerMessage: message, providerRequestId: requestId });

async function sizeFor(spec: ModelSpec, req: ProviderRequest) {
  if (req.width && req.height) return nearestSize(spec, { width: req.width, height: req.height });
  if (!req.aspectRatio && req.image) return nearestSize(spec, await imageDimensions(req.image));
  return sizeForAspectRatio(spec, req.aspectRatio);
}

/** Reads the image out of a generateContent answer; "200 but no image" is a refusal, not a crash. */
function imageFromContent(res: HttpResponse): Buffer {
  const body = parseJson(res.body);
  if (!isRecord(body))
    throw providerError('provider_unavailable', 'gemini', { providerMessage: 'answer is not JSON' });
  const feedback = isRecord(body.promptFeedback) ? asString(body.promptFeedback.blockReason) : undefined;
  if (feedback) throw moderated(`prompt blocked: ${feedback}`);
  const candidate =
    Array.isArray(body.candidates) && isRecord(body.candidates[0]) ? body.candidates[0] : undefined;
  const finish = candidate ? asString(candidate.finishReason) : undefined;
  if (finish && BLOCKING_FINISH.has(finish)) throw moderated(`generation stopped: ${finish}`);
  const content = candidate && isRecord(candidate.content) ? candidate.content : undefined;
  const parts = content && Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];
  for (const part of parts) {
    const inline = isRecord(part.inlineData)
      ? part.inlineData
      : isRecord(part.inline_data)
        ? part.inline_data
        : undefined;
    const data = inline ? asString(inline.data) : undefined;
    if (data) return Buffer.from(data, 'base64');
  }
  const text = parts
    .map((p) => asString(p.text))
    .filter(Boolean)
    .join(' ');
  throw moderated(text ? `no image returned: ${text.slice(0, 300)}` : 'no image returned');
}

/** Google Gemini API (providers.md §4): Gemini image models via generateContent; Imagen :predict behind a flag. */
export function createGeminiProvider(opts: GeminiOptions): ImageProvider {
  const http = makeHttp('gemini', opts, classifyGemini);
  const catalogue = geminiCatalogue(opts.imagenEnabled);
  const headers = (auth: ProviderAuth) => ({
    'x-goog-api-key': auth.apiKey,
    'content-type': 'application/json',
  });
  const post = (model: string, method: string, auth: ProviderAuth, body: object, signal?: AbortSignal) =>
    http.send({
      method: 'POST',
      url: `${opts.baseUrl}/models/${model}:${method}`,
      headers: headers(auth),
      body: JSON.stringify(body),
      idempotent: false,
      signal,
    });

  async function generateContent(spec: ModelSpec, req: ProviderRequest, auth: ProviderAuth) {
    if (!req.prompt)
      throw providerError('provider_rejected', 'gemini', { providerMessage: 'prompt: is required' });
    if (req.operation === 'edit.general_edit' && !req.image) {
      throw providerError('provider_rejected', 'gemini', { providerMessage: 'image: is required' });
    }
    const size = await sizeFor(spec, req);
    const images = [req.image, req.referenceImage].filter((b): b is Buffer => b !== undefined);
    const parts = [
      { text: req.prompt },
      ...images.map((b) => ({ inlineData: { mimeType: sniffMime(b), data: b.toString('base64') } })),
    ];
    const scales = spec.sizing.kind === 'aspect_ratio' ? spec.sizing.scales : undefined;
    const imageConfig: Record<string, string> = { aspectRatio: size.aspectRatio ?? '1:1' };
    if (scales && Object.keys(scales).length > 1 && size.sizeTier) imageConfig.imageSize = size.sizeTier;
    const res = await post(
      spec.id,
      'generateContent',
      auth,
      {
        contents: [{ role: 'user', parts }],
        generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig },
      },
      req.signal,
    );
    return finishResult('gemini', req.operation, spec.id, imageFromContent(res), {
      requestId: res.headers.get('x-request-id') ?? undefined,
    });
  }

  async function predict(spec: ModelSpec, req: ProviderRequest, auth: ProviderAuth) {
    if (!req.prompt)
      throw providerError('provider_rejected', 'gemini', { providerMessage: 'prompt: is required' });
    const size = await sizeFor(spec, req);
    const parameters: Record<string, unknown> = { sampleCount: 1, aspectRatio: size.aspectRatio ?? '1:1' };
    if (size.sizeTier && size.sizeTier !== '1K') parameters.sampleImageSize = size.sizeTier;
    const res = await post(
      spec.id,
      'predict',
      auth,
      { instances: [{ prompt: req.prompt }], parameters },
      req.signal,
    );
    const body = parseJson(res.body);
    const predictions =
      isRecord(body) && Array.isArray(body.predictions) ? body.predictions.filter(isRecord) : [];
    const image = predictions.map((p) => asString(p.bytesBase64Encoded)).find(Boolean);
    if (!image) {
      const reason = predictions.map((p) => asString(p.raiFilteredReason)).find(Boolean);
      throw moderated(reason ?? 'all images were filtered');
    }
    return finishResult('gemini', req.operation, spec.id, Buffer.from(image, 'base64'));
  }

  return {
    id: 'gemini',
    catalogue,
    health: () => ({ state: http.breaker.state, retryInMs: http.breaker.retryInMs() }),
    async run(req, auth) {
      const spec = requireModel('gemini', catalogue.models, req);
      await checkLimits('gemini', spec, req);
      return spec.id.startsWith(IMAGEN_MODEL_PREFIX)
        ? predict(spec, req, auth)
        : generateContent(spec, req, auth);
    },
    async testConnection(auth) {
      await http.send({
        method: 'GET',
        url: `${opts.baseUrl}/models?pageSize=1`,
        headers: { 'x-goog-api-key': auth.apiKey },
        idempotent: true,
      });
    },
  };
}
