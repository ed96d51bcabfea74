import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import {
  STABILITY_STYLE_PRESETS,
  stabilityCatalogue,
} from '../../apps/server/src/providers/stability/catalog.ts';
import type { InputLimits, ModelSpec } from '../../apps/server/src/providers/types.ts';
import { FakeServer, json, MAGIC, type RecordedRequest, type Reply } from './fake-server.ts';
import { type FakeFormat, hashHex, mimeOf, probe, renderFakeImage } from './images.ts';
import { RateWindow } from './rate-window.ts';

const ENDPOINTS: Readonly<Record<string, string>> = {
  '/v2beta/stable-image/generate/ultra': 'ultra',
  '/v2beta/stable-image/generate/core': 'core',
  '/v2beta/stable-image/generate/sd3': 'sd3',
  '/v2beta/stable-image/edit/erase': 'erase',
  '/v2beta/stable-image/edit/inpaint': 'inpaint',
  '/v2beta/stable-image/edit/outpaint': 'outpaint',
  '/v2beta/stable-image/edit/search-and-replace': 'search-and-replace',
  '/v2beta/stable-image/edit/search-and-recolor': 'search-and-recolor',
  '/v2beta/stable-image/edit/remove-background': 'remove-background',
  '/v2beta/stable-image/edit/replace-background-and-relight': 'replace-background-and-relight',
  '/v2beta/stable-image/upscale/fast': 'upscale-fast',
  '/v2beta/stable-image/upscale/conservative': 'upscale-conservative',
  '/v2beta/stable-image/upscale/creative': 'upscale-creative',
  '/v2beta/stable-image/control/sketch': 'control-sketch',
  '/v2beta/stable-image/control/structure': 'control-structure',
  '/v2beta/stable-image/control/style': 'control-style',
  '/v2beta/stable-image/control/style-transfer': 'control-style-transfer',
};
const ASYNC = new Set(['replace-background-and-relight', 'upscale-creative']);
const SD3_MODELS = [
  'sd3.5-large',
  'sd3.5-large-turbo',
  'sd3.5-medium',
  'sd3-large',
  'sd3-large-turbo',
  'sd3-medium',
];
const ASPECTS = ['21:9', '16:9', '3:2', '5:4', '1:1', '4:5', '2:3', '9:16', '9:21'];
const MAX_BODY = 10 * 1024 * 1024;

interface Job {
  key: string;
  pollsLeft: number;
  image: Buffer;
  format: FakeFormat;
  seed: number;
}

export interface StabilityFakeOptions {
  /** Accepted keys; default: any key not starting with `bad`. A key starting with `broke` has no credits. */
  validKeys?: string[];
  /** Polls answered 202 before an async result is ready. */
  asyncPolls?: number;
}

const spec = (id: string): ModelSpec | undefined =>
  stabilityCatalogue.models.find((m) => m.id === (id === 'sd3' ? 'sd3.5-large' : id));

/** Stability AI v2beta as described in providers.md §1 (see §1.10 for what it must reproduce). */
export class StabilityFake extends FakeServer {
  protected readonly prefix = '';
  readonly jobs = new Map<string, Job>();
  creditsCharged = 0;
  asyncPolls: number;
  /** Stability documents 150 requests in 10 s; off unless set (e.g. `fake.rateLimit.max = 150`). */
  readonly rateLimit = new RateWindow(Number.POSITIVE_INFINITY, 10_000);

  constructor(private readonly options: StabilityFakeOptions = {}) {
    super();
    this.asyncPolls = options.asyncPolls ?? 1;
  }

  override reset(): void {
    super.reset();
    this.rateLimit.clear();
  }

  protected errorBody(status: number, message: string) {
    const name =
      status === 401
        ? 'unauthorized'
        : status === 402
          ? 'payment_required'
          : status === 403
            ? 'content_moderation'
            : status === 429
              ? 'rate_limit_exceeded'
              : status >= 500
                ? 'internal_error'
                : 'bad_request';
    return { id: hashHex(`${Date.now()}${Math.random()}`), name, errors: [message] };
  }

  private error(status: number, ...errors: string[]): Reply {
    return json(status, { ...this.errorBody(status, ''), errors });
  }

  private keyOf(req: RecordedRequest): string | undefined {
    const auth = req.headers.authorization;
    return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
  }

  protected async handle(req: RecordedRequest): Promise<Reply> {
    const key = this.keyOf(req);
    if (!key) return this.error(401, 'authorization: is required');
    const valid = this.options.validKeys ? this.options.validKeys.includes(key) : !key.startsWith('bad');
    if (!valid) return this.error(401, 'Incorrect API key provided');
    const wait = this.rateLimit.take();
    if (wait !== undefined) {
      return {
        ...this.error(429, 'You have exceeded the rate limit of 150 requests within a 10 second period.'),
        headers: { 'content-type': 'application/json', 'retry-after': String(wait) },
      };
    }
    if (req.method === 'GET' && req.path === '/v1/user/balance')
      return json(200, { credits: 1000 - this.creditsCharged });
    const result = /^\/v2beta\/(?:results|stable-image\/upscale\/creative\/result)\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && result) return this.poll(req, key, result[1]!);
    const endpoint = ENDPOINTS[req.path];
    if (req.method !== 'POST' || !endpoint) return this.error(404, `${req.method} ${req.path}: not found`);
    if (key.startsWith('broke')) {
      return this.error(
        402,
        'You lack sufficient credits to make this request. Please purchase more credits at https://platform.stability.ai/account/credits and try again.',
      );
    }
    if (req.raw.length > MAX_BODY) return this.error(413, 'payload: must be at most 10 MiB');
    if (!req.fields || !req.files) return this.error(400, 'content-type: must be multipart/form-data');
    const problems = await this.validate(endpoint, req);
    if (problems.length) return this.error(400, ...problems);
    const prompt = req.fields.prompt ?? req.fields.background_prompt ?? '';
    if (prompt.includes(MAGIC.moderation)) {
      return this.error(
        403,
        'Your request was flagged by our content moderation system and was not charged.',
      );
    }
    const format = (req.fields.output_format ??
      (endpoint === 'remove-background' ? 'png' : 'png')) as FakeFormat;
    const seed = Number(req.fields.seed) || Math.floor(Math.random() * 4294967294) + 1;
    const image = await this.render(endpoint, req, format, seed);
    const price =
      spec(endpoint === 'sd3' ? (req.fields.model ?? 'sd3.5-large') : endpoint)?.price.credits ?? 0;
    if (ASYNC.has(endpoint)) {
      const id = randomBytes(32).toString('hex');
      this.jobs.set(id, { key, pollsLeft: this.asyncPolls, image, format, seed });
      this.creditsCharged += price;
      return json(200, { id });
    }
    this.creditsCharged += price;
    return this.imageReply(req, image, format, seed, prompt.includes(MAGIC.filtered));
  }

  private poll(req: RecordedRequest, key: string, id: string): Reply {
    const job = this.jobs.get(id);
    if (!job || job.key !== key) return this.error(404, `id: ${id} was not found`);
    if (job.pollsLeft > 0) {
      job.pollsLeft -= 1;
      return json(202, { id, status: 'in-progress' });
    }
    return this.imageReply(req, job.image, job.format, job.seed, false);
  }

  private imageReply(
    req: RecordedRequest,
    image: Buffer,
    format: FakeFormat,
    seed: number,
    filtered: boolean,
  ): Reply {
    const finish = filtered ? 'CONTENT_FILTERED' : 'SUCCESS';
    const requestId = hashHex(`${seed}${Date.now()}`);
    if ((req.headers.accept ?? 'image/*').includes('application/json')) {
      return json(
        200,
        { image: image.toString('base64'), finish_reason: finish, seed },
        { 'content-type': `application/json; type=${mimeOf(format)}`, 'x-request-id': requestId },
      );
    }
    return {
      status: 200,
      headers: {
        'content-type': mimeOf(format),
        'finish-reason': finish,
        seed: String(seed),
        'x-request-id': requestId,
      },
      body: image,
    };
  }

  private async validate(endpoint: string, req: RecordedRequest): Promise<string[]> {
    const f = req.fields ?? {};
    const files = req.files ?? {};
    const problems: string[] = [];
    const need = (name: string) => {
      if (!(name in f) && !(name in files)) problems.push(`${name}: is required`);
    };
    const range = (name: string, min: number, max: number) => {
      if (f[name] === undefined) return;
      const v = Number(f[name]);
      if (!Number.isFinite(v) || v < min || v > max)
        problems.push(`${name}: must be between ${min} and ${max}`);
    };
    const oneOf = (name: string, allowed: readonly string[]) => {
      if (f[name] !== undefined && !allowed.includes(f[name]!))
        problems.push(`${name}: must be one of ${allowed.join(', ')}`);
    };
    const formats =
      endpoint === 'remove-background'
        ? ['png', 'webp']
        : endpoint === 'sd3'
          ? ['png', 'jpeg']
          : ['jpeg', 'png', 'webp'];
    oneOf('output_format', formats);
    range('seed', 0, 4294967294);
    if (f.prompt !== undefined && (f.prompt.length < 1 || f.prompt.length > 10000)) {
      problems.push('prompt: must be 1-10000 characters');
    }
    if (f.style_preset !== undefined) oneOf('style_preset', STABILITY_STYLE_PRESETS);
    const imageField =
      endpoint === 'replace-background-and-relight'
        ? 'subject_image'
        : 'init_image' in files
          ? 'init_image'
          : 'image';
    const isGenerate = ['ultra', 'core', 'sd3'].includes(endpoint);
    if (isGenerate) {
      need('prompt');
      oneOf('aspect_ratio', ASPECTS);
      if (endpoint === 'sd3') {
        oneOf('model', SD3_MODELS);
        oneOf('mode', ['text-to-image', 'image-to-image']);
        if (f.mode === 'image-to-image') {
          need('image');
          if (f.aspect_ratio !== undefined)
            problems.push('aspect_ratio: is only valid in text-to-image mode');
        } else if (files.image) problems.push('image: requires mode image-to-image');
      }
      if (files.image) {
        if (endpoint === 'core') problems.push('image: is not accepted by this endpoint');
        need('strength');
        const source = await probe(files.image.bytes);
        if (!source) problems.push('image: is not a valid image');
        else if (Math.min(source.width, source.height) < 64)
          problems.push('image: sides must be at least 64 px');
      }
      range('strength', 0, 1);
      return problems;
    }
    need(imageField);
    const input = files[imageField] ? await probe(files[imageField].bytes) : undefined;
    if (files[imageField] && !input) problems.push(`${imageField}: is not a valid image`);
    const limits = spec(endpoint)?.input;
    if (input && limits) problems.push(...checkImage(imageField, input, limits));
    switch (endpoint) {
      case 'erase':
      case 'inpaint':
        range('grow_mask', 0, endpoint === 'erase' ? 20 : 100);
        if (endpoint === 'inpaint') need('prompt');
        if (!files.mask && input && !input.hasAlpha)
          problems.push('mask: is required when image has no alpha channel');
        break;
      case 'outpaint': {
        for (const side of ['left', 'right', 'up', 'down']) range(side, 0, 2000);
        if (!['left', 'right', 'up', 'down'].some((s) => Number(f[s] ?? 0) > 0)) {
          problems.push('left, right, up, down: at least one must be greater than 0');
        }
        range('creativity', 0, 1);
        break;
      }
      case 'search-and-replace':
        need('prompt');
        need('search_prompt');
        range('grow_mask', 0, 20);
        break;
      case 'search-and-recolor':
        need('prompt');
        need('select_prompt');
        range('grow_mask', 0, 20);
        break;
      case 'replace-background-and-relight':
        if (!f.background_prompt && !files.background_reference) {
          problems.push('background_prompt: background_prompt or background_reference is required');
        }
        oneOf('light_source_direction', ['left', 'right', 'above', 'below']);
        range('preserve_original_subject', 0, 1);
        range('original_background_depth', 0, 1);
        range('light_source_strength', 0, 1);
        if (f.light_source_strength !== undefined && !f.light_source_direction && !files.light_reference) {
          problems.push('light_source_strength: requires light_reference or light_source_direction');
        }
        break;
      case 'upscale-conservative':
        need('prompt');
        range('creativity', 0.2, 0.5);
        break;
      case 'upscale-creative':
        need('prompt');
        range('creativity', 0.1, 0.5);
        break;
      case 'control-sketch':
      case 'control-structure':
        need('prompt');
        range('control_strength', 0, 1);
        break;
      case 'control-style':
        need('prompt');
        range('fidelity', 0, 1);
        oneOf('aspect_ratio', ASPECTS);
        break;
      case 'control-style-transfer':
        need('init_image');
        need('style_image');
        break;
    }
    return problems;
  }

  private async render(
    endpoint: string,
    req: RecordedRequest,
    format: FakeFormat,
    seed: number,
  ): Promise<Buffer> {
    const f = req.fields ?? {};
    const files = req.files ?? {};
    const text = `${f.prompt ?? ''}|${seed}`;
    if (['ultra', 'core', 'sd3', 'control-style'].includes(endpoint)) {
      const s = spec(endpoint)!;
      const size =
        s.sizing.kind === 'aspect_ratio'
          ? s.sizing.ratios[f.aspect_ratio ?? '1:1']!
          : { width: 1024, height: 1024 };
      return renderFakeImage(size.width, size.height, text, format);
    }
    const src = files.image ?? files.subject_image ?? files.init_image;
    const input = src ? await probe(src.bytes) : undefined;
    let { width, height } = input ?? { width: 64, height: 64 };
    if (endpoint === 'outpaint') {
      width += Number(f.left ?? 0) + Number(f.right ?? 0);
      height += Number(f.up ?? 0) + Number(f.down ?? 0);
    } else if (endpoint.startsWith('upscale-')) {
      const cap = endpoint === 'upscale-conservative' ? 4_194_304 : 16_777_216;
      const factor = Math.min(4, Math.sqrt(cap / (width * height)));
      width = Math.round(width * factor);
      height = Math.round(height * factor);
    }
    const img = await renderFakeImage(width, height, text, format);
    if (endpoint !== 'remove-background') return img;
    const alpha = Buffer.alloc(width * height, 255);
    for (let y = 0; y < height; y++) for (let x = 0; x < Math.floor(width / 4); x++) alpha[y * width + x] = 0;
    const rgba = sharp(img).joinChannel(alpha, { raw: { width, height, channels: 1 } });
    return format === 'webp' ? rgba.webp({ lossless: true }).toBuffer() : rgba.png().toBuffer();
  }
}

function checkImage(field: string, img: { width: number; height: number }, limits: InputLimits): string[] {
  const problems: string[] = [];
  const px = img.width * img.height;
  const ratio = img.width / img.height;
  if (limits.minSide && Math.min(img.width, img.height) < limits.minSide) {
    problems.push(`${field}: width and height must be at least ${limits.minSide}`);
  }
  if (limits.maxSide && Math.max(img.width, img.height) > limits.maxSide) {
    problems.push(`${field}: width and height must be at most ${limits.maxSide}`);
  }
  if (limits.minPixels && px < limits.minPixels)
    problems.push(`${field}: must have at least ${limits.minPixels} pixels`);
  if (limits.maxPixels && px > limits.maxPixels)
    problems.push(`${field}: must have at most ${limits.maxPixels} pixels`);
  if (limits.minAspect && ratio < limits.minAspect)
    problems.push(`${field}: aspect ratio must be between 1:2.5 and 2.5:1`);
  if (limits.maxAspect && ratio > limits.maxAspect)
    problems.push(`${field}: aspect ratio must be between 1:2.5 and 2.5:1`);
  return problems;
}
