import { geminiModels } from '../../apps/server/src/providers/gemini/catalog.ts';
import { FakeServer, json, MAGIC, type RecordedRequest, type Reply } from './fake-server.ts';
import { hashHex, probe, renderFakeImage } from './images.ts';

const GEMINI_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9'];
const IMAGEN_RATIOS = ['1:1', '3:4', '4:3', '9:16', '16:9'];
const VERTEX_ONLY = ['negativePrompt', 'seed', 'addWatermark', 'enhancePrompt', 'labels', 'outputGcsUri'];
const STATUS_NAME: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
/** Magic word: the model answers with text only. */
export const TEXT_ONLY = 'FAKE_TEXT_ONLY';

export interface GeminiFakeOptions {
  /** Accepted keys; default: any key not starting with `bad`. Keys starting with `nobilling` fail the precondition. */
  validKeys?: string[];
  /** Imagen ids answer 404 as after the 2026 shutdown. */
  imagenShutdown?: boolean;
}

/** Google Gemini API (generateContent + Imagen :predict) as described in providers.md §4 (see §4.6). */
export class GeminiFake extends FakeServer {
  protected readonly prefix = '/v1beta';
  /** retryDelay announced in RetryInfo on injected 429s. */
  retryDelay = '0.01s';

  constructor(private readonly options: GeminiFakeOptions = {}) {
    super();
  }

  protected errorBody(status: number, message: string) {
    const details =
      status === 429
        ? [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaMetric: 'images_per_minute' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: this.retryDelay },
          ]
        : [];
    return { error: { code: status, message, status: STATUS_NAME[status] ?? 'UNKNOWN', details } };
  }

  private error(status: number, message: string, statusName?: string, details: object[] = []): Reply {
    const body = this.errorBody(status, message);
    return json(status, {
      error: {
        ...body.error,
        status: statusName ?? body.error.status,
        details: details.length ? details : body.error.details,
      },
    });
  }

  protected async handle(req: RecordedRequest): Promise<Reply> {
    const key = (req.headers['x-goog-api-key'] as string | undefined) ?? req.query.get('key') ?? undefined;
    const valid =
      key && (this.options.validKeys ? this.options.validKeys.includes(key) : !key.startsWith('bad'));
    if (!valid) {
      return this.error(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
        },
      ]);
    }
    if (req.method === 'GET' && req.path === '/v1beta/models') {
      return json(200, {
        models: geminiModels.slice(0, 1).map((m) => ({ name: `models/${m.id}`, displayName: m.label })),
      });
    }
    const m = /^\/v1beta\/models\/([^:/]+):(generateContent|predict)$/.exec(req.path);
    if (req.method !== 'POST' || !m) return this.error(404, `Not found: ${req.method} ${req.path}`);
    if (key.startsWith('nobilling')) {
      return this.error(
        400,
        'Image generation is not available in your region / requires billing.',
        'FAILED_PRECONDITION',
      );
    }
    const [, model, method] = m as unknown as [string, string, string];
    const spec = geminiModels.find((s) => s.id === model);
    const isImagen = model.startsWith('imagen-');
    if (!spec || (isImagen && this.options.imagenShutdown) || (method === 'predict') !== isImagen) {
      return this.error(
        404,
        `models/${model} is not found for API version v1beta, or is not supported for ${method}.`,
      );
    }
    if (typeof req.json !== 'object' || req.json === null)
      return this.error(400, 'Invalid JSON payload received.');
    return method === 'predict'
      ? this.predict(model, req.json as Record<string, unknown>)
      : this.generate(model, req.json as Record<string, unknown>);
  }

  private size(model: string, ratio: string, tier: string) {
    const spec = geminiModels.find((s) => s.id === model)!;
    if (spec.sizing.kind !== 'aspect_ratio') return { width: 1024, height: 1024 };
    const base = spec.sizing.ratios[ratio]!;
    const scale = spec.sizing.scales?.[tier] ?? 1;
    return { width: base.width * scale, height: base.height * scale };
  }

  private async generate(model: string, body: Record<string, unknown>): Promise<Reply> {
    const contents = body.contents;
    if (!Array.isArray(contents) || contents.length === 0)
      return this.error(400, '* GenerateContentRequest.contents: contents is not specified');
    const parts = (contents[0] as { parts?: unknown }).parts;
    if (!Array.isArray(parts) || parts.length === 0)
      return this.error(400, '* GenerateContentRequest.contents[0].parts: contents.parts must not be empty');
    const text = parts.map((p: { text?: unknown }) => (typeof p.text === 'string' ? p.text : '')).join(' ');
    for (const p of parts as Array<{ inlineData?: { data?: unknown; mimeType?: unknown } }>) {
      if (
        p.inlineData &&
        (typeof p.inlineData.data !== 'string' || !(await probe(Buffer.from(p.inlineData.data, 'base64'))))
      ) {
        return this.error(
          400,
          'Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
        );
      }
    }
    const config = (body.generationConfig ?? {}) as {
      responseModalities?: unknown;
      imageConfig?: Record<string, unknown>;
    };
    const image = config.imageConfig ?? {};
    for (const k of Object.keys(image)) {
      if (!['aspectRatio', 'imageSize', 'personGeneration'].includes(k))
        return this.error(400, `${k} parameter is not supported in Gemini API.`);
    }
    const ratio = String(image.aspectRatio ?? '1:1');
    if (!GEMINI_RATIOS.includes(ratio))
      return this.error(
        400,
        `* GenerateContentRequest.generation_config.image_config.aspect_ratio: unsupported value ${ratio}`,
      );
    const tier = String(image.imageSize ?? '1K');
    const spec = geminiModels.find((s) => s.id === model)!;
    const tiers =
      spec.sizing.kind === 'aspect_ratio' ? Object.keys(spec.sizing.scales ?? { '1K': 1 }) : ['1K'];
    if (!tiers.includes(tier)) return this.error(400, `* image_size: ${tier} is not supported by ${model}`);
    const usage = { promptTokenCount: 12, candidatesTokenCount: 1290, totalTokenCount: 1302 };
    if (text.includes(MAGIC.moderation))
      return json(200, { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: usage });
    if (text.includes(MAGIC.filtered)) {
      return json(200, {
        candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'IMAGE_SAFETY' }],
        usageMetadata: usage,
      });
    }
    const wantsImage =
      Array.isArray(config.responseModalities) && config.responseModalities.includes('IMAGE');
    const outParts: object[] = [{ text: 'Here is your image.' }];
    if (wantsImage && !text.includes(TEXT_ONLY)) {
      const { width, height } = this.size(model, ratio, tier);
      const png = await renderFakeImage(width, height, text, 'png');
      outParts.push({ inlineData: { mimeType: 'image/png', data: png.toString('base64') } });
    }
    return json(
      200,
      {
        candidates: [{ content: { role: 'model', parts: outParts }, finishReason: 'STOP' }],
        usageMetadata: usage,
      },
      { 'x-request-id': hashHex(text + Date.now()) },
    );
  }

  private async predict(model: string, body: Record<string, unknown>): Promise<Reply> {
    const instances = body.instances;
    const prompt = Array.isArray(instances) ? (instances[0] as { prompt?: unknown })?.prompt : undefined;
    if (typeof prompt !== 'string' || !prompt) return this.error(400, 'instances[0].prompt is required');
    const p = (body.parameters ?? {}) as Record<string, unknown>;
    const vertex = VERTEX_ONLY.filter((k) => k in p);
    if (vertex.length)
      return this.error(400, `${vertex.join(', ')} parameter is not supported in Gemini API.`);
    const count = p.sampleCount === undefined ? 4 : Number(p.sampleCount);
    if (!Number.isInteger(count) || count < 1 || count > 4)
      return this.error(400, 'sampleCount must be between 1 and 4');
    const ratio = String(p.aspectRatio ?? '1:1');
    if (!IMAGEN_RATIOS.includes(ratio)) return this.error(400, `aspectRatio ${ratio} is not supported`);
    if (
      p.personGeneration !== undefined &&
      !['DONT_ALLOW', 'ALLOW_ADULT', 'ALLOW_ALL'].includes(String(p.personGeneration).toUpperCase())
    ) {
      return this.error(400, 'personGeneration: invalid value');
    }
    const tier = String(p.sampleImageSize ?? '1K');
    if (
      p.sampleImageSize !== undefined &&
      (!['1K', '2K'].includes(tier) || model.includes('fast') || model.startsWith('imagen-3'))
    ) {
      return this.error(400, `sampleImageSize is not supported for ${model}`);
    }
    if (prompt.includes(MAGIC.filtered)) return json(200, {});
    if (prompt.includes(MAGIC.moderation)) {
      return json(200, { predictions: [{ raiFilteredReason: 'The prompt violates our usage guidelines.' }] });
    }
    const { width, height } = this.size(model, ratio, tier);
    const predictions = [];
    for (let i = 0; i < count; i++) {
      const png = await renderFakeImage(width, height, `${prompt}|${i}`, 'png');
      predictions.push({ bytesBase64Encoded: png.toString('base64'), mimeType: 'image/png' });
    }
    return json(200, { predictions });
  }
}
