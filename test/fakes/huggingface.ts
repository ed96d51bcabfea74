import { huggingfaceCatalogue } from '../../apps/server/src/providers/huggingface/catalog.ts';
import { FakeServer, json, MAGIC, type RecordedRequest, type Reply } from './fake-server.ts';
import { hashHex, renderFakeImage } from './images.ts';

export interface HuggingfaceFakeOptions {
  /** Accepted tokens; default: any token not starting with `bad`. Tokens starting with `broke` have no credits. */
  validKeys?: string[];
  /** The first N generate calls answer 503 "currently loading". */
  coldStarts?: number;
  /** Seconds announced as `estimated_time` while loading. */
  estimatedTime?: number;
  /** Answer errors as text/plain instead of JSON. */
  textErrors?: boolean;
}

const CREDITS_TEXT =
  'You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.';

/** Hugging Face hf-inference text-to-image as described in providers.md §3 (see §3.6). */
export class HuggingfaceFake extends FakeServer {
  protected readonly prefix = '/hf-inference';
  coldStarts: number;

  constructor(private readonly options: HuggingfaceFakeOptions = {}) {
    super();
    this.coldStarts = options.coldStarts ?? 0;
  }

  protected errorBody(_status: number, message: string) {
    return { error: message };
  }

  private error(status: number, message: string, extra: object = {}): Reply {
    if (this.options.textErrors) return { status, headers: { 'content-type': 'text/plain' }, body: message };
    return json(status, { error: message, ...extra });
  }

  protected async handle(req: RecordedRequest): Promise<Reply> {
    const m = /^(?:\/hf-inference)?\/models\/(.+)$/.exec(req.path);
    if (req.method !== 'POST' || !m) return this.error(404, 'Not Found');
    const auth = req.headers.authorization;
    const key = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const valid =
      key && (this.options.validKeys ? this.options.validKeys.includes(key) : !key.startsWith('bad'));
    if (!valid) return this.error(401, 'Invalid credentials in Authorization header');
    if (key.startsWith('broke')) return this.error(402, CREDITS_TEXT);
    const model = m[1]!;
    if (model.includes('gated')) return this.error(403, `Access to model ${model} is restricted.`);
    if (!huggingfaceCatalogue.models.some((s) => s.id === model))
      return this.error(404, `Model ${model} does not exist`);
    const body = req.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return this.error(400, 'Invalid JSON body');
    const { inputs, parameters } = body as { inputs?: unknown; parameters?: unknown };
    if (typeof inputs !== 'string' || !inputs)
      return this.error(400, "Field 'inputs' is required and must be a string");
    const p = (parameters ?? {}) as Record<string, unknown>;
    for (const k of ['width', 'height', 'seed', 'num_inference_steps']) {
      if (p[k] !== undefined && !Number.isInteger(p[k]))
        return this.error(422, `parameters.${k}: must be an integer`);
    }
    for (const k of ['guidance_scale']) {
      if (p[k] !== undefined && typeof p[k] !== 'number')
        return this.error(422, `parameters.${k}: must be a number`);
    }
    if (this.coldStarts > 0) {
      this.coldStarts -= 1;
      return this.error(503, `Model ${model} is currently loading`, {
        estimated_time: this.options.estimatedTime ?? 0.01,
      });
    }
    if (inputs.includes(MAGIC.moderation))
      return this.error(400, 'NSFW content detected by the safety checker.');
    const width = Number(p.width ?? 1024);
    const height = Number(p.height ?? 1024);
    if (width > 1440 || height > 1440 || width % 16 || height % 16) {
      return this.error(422, 'parameters.width/height: must be multiples of 16 and at most 1440');
    }
    const image = await renderFakeImage(width, height, `${inputs}|${String(p.seed ?? '')}`, 'jpeg');
    return {
      status: 200,
      headers: { 'content-type': 'image/jpeg', 'x-request-id': hashHex(inputs + Date.now()) },
      body: image,
    };
  }
}
