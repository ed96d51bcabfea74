import { randomUUID } from 'node:crypto';
import { wavespeedCatalogue } from '../../apps/server/src/providers/wavespeed/catalog.ts';
import { FakeServer, json, MAGIC, type RecordedRequest, type Reply } from './fake-server.ts';
import { type FakeFormat, mimeOf, probe, renderFakeImage } from './images.ts';
import { RateWindow } from './rate-window.ts';

const IDEOGRAM_FIELDS = [
  'prompt',
  'image',
  'mask_image',
  'style',
  'aspect_ratio',
  'reference_images',
  'enable_base64_output',
  'enable_sync_mode',
];
const QWEN_FIELDS = ['prompt', 'size', 'seed', 'output_format', 'enable_base64_output', 'enable_sync_mode'];
const QWEN_EDIT_FIELDS = [...QWEN_FIELDS, 'image', 'images'];

interface Task {
  id: string;
  key: string;
  model: string;
  pollsLeft: number;
  base64: boolean;
  format: FakeFormat;
  image: Buffer;
  fail?: string;
  nsfw: boolean;
  createdAt: string;
}

export interface WavespeedFakeOptions {
  /** Accepted keys; default: any key not starting with `bad`. Keys starting with `inactive` are not topped up. */
  validKeys?: string[];
  /** Polls that answer `processing` before a task completes. */
  pollsBeforeDone?: number;
}

/** WaveSpeed v3 as described in providers.md §2 (see §2.4). */
export class WavespeedFake extends FakeServer {
  protected readonly prefix = '/api/v3';
  readonly tasks = new Map<string, Task>();
  readonly files = new Map<string, { type: string; bytes: Buffer }>();
  pollsBeforeDone: number;
  /** Per-minute image quota (Bronze level is 10); off unless set. */
  readonly imagesPerMinute = new RateWindow(Number.POSITIVE_INFINITY, 60_000);
  /** Tasks running at once per key before submits answer 429 (Bronze level is 3); off unless set. */
  maxConcurrentTasks = Number.POSITIVE_INFINITY;
  private nextTaskFailure?: string;

  constructor(private readonly options: WavespeedFakeOptions = {}) {
    super();
    this.pollsBeforeDone = options.pollsBeforeDone ?? 1;
  }

  /** The next submitted task ends `failed` with this error. */
  failNextTask(error: string): this {
    this.nextTaskFailure = error;
    return this;
  }

  override reset(): void {
    super.reset();
    this.imagesPerMinute.clear();
  }

  protected errorBody(status: number, message: string) {
    return { code: status, message, data: null };
  }

  private envelope(task: Task): object {
    const done = task.pollsLeft <= 0;
    const status = !done
      ? task.pollsLeft > this.pollsBeforeDone
        ? 'created'
        : 'processing'
      : task.fail
        ? 'failed'
        : 'completed';
    const outputs =
      status !== 'completed'
        ? []
        : [
            task.base64
              ? task.image.toString('base64')
              : `${this.origin}/outputs/${task.id}.${task.format === 'jpeg' ? 'jpg' : task.format}`,
          ];
    return {
      code: 200,
      message: 'success',
      data: {
        id: task.id,
        model: task.model,
        status,
        outputs,
        urls: { get: `${this.baseUrl}/predictions/${task.id}/result` },
        has_nsfw_contents: status === 'completed' ? [task.nsfw] : [],
        created_at: task.createdAt,
        error: status === 'failed' ? task.fail : '',
        ...(status === 'completed' ? { timings: { inference: 1234 } } : {}),
      },
    };
  }

  protected async handle(req: RecordedRequest): Promise<Reply> {
    const output = /^\/outputs\/([^.]+)\./.exec(req.path);
    if (req.method === 'GET' && output) {
      const task = this.tasks.get(output[1]!);
      return task
        ? { status: 200, headers: { 'content-type': mimeOf(task.format) }, body: task.image }
        : json(404, this.errorBody(404, 'not found'));
    }
    const file = /^\/files\/(.+)$/.exec(req.path);
    if (req.method === 'GET' && file) {
      const f = this.files.get(file[1]!);
      return f
        ? { status: 200, headers: { 'content-type': f.type }, body: f.bytes }
        : json(404, this.errorBody(404, 'not found'));
    }
    const auth = req.headers.authorization;
    const key = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const valid =
      key && (this.options.validKeys ? this.options.validKeys.includes(key) : !key.startsWith('bad'));
    if (!key || !valid) return json(401, this.errorBody(401, 'Unauthorized: invalid authentication'));
    if (key.startsWith('inactive')) {
      return json(
        401,
        this.errorBody(401, 'Unauthorized: please top up your account to activate the API key'),
      );
    }
    if (!req.path.startsWith(`${this.prefix}/`)) return json(404, this.errorBody(404, 'not found'));
    const path = req.path.slice(this.prefix.length + 1);
    const poll = /^predictions\/([^/]+)(?:\/result)?$/.exec(path);
    if (req.method === 'GET' && poll) {
      const task = this.tasks.get(poll[1]!);
      if (!task || task.key !== key) return json(404, this.errorBody(404, 'prediction not found'));
      if (task.pollsLeft > 0) task.pollsLeft -= 1;
      return json(200, this.envelope(task));
    }
    if (req.method === 'POST' && path === 'media/upload/binary') {
      const f = req.files?.file;
      if (!f) return json(400, this.errorBody(400, 'file: is required'));
      const id = `${randomUUID()}.${f.type.split('/')[1] ?? 'bin'}`;
      this.files.set(id, { type: f.type, bytes: f.bytes });
      return json(200, {
        code: 200,
        message: 'success',
        data: {
          type: f.type,
          download_url: `${this.origin}/files/${id}`,
          filename: f.filename,
          size: f.bytes.length,
        },
      });
    }
    if (req.method !== 'POST') return json(404, this.errorBody(404, 'not found'));
    const spec = wavespeedCatalogue.models.find((m) => m.id === path);
    if (!spec) return json(404, this.errorBody(404, `model ${path} not found`));
    const running = [...this.tasks.values()].filter((t) => t.key === key && t.pollsLeft > 0).length;
    const wait = running >= this.maxConcurrentTasks ? 1 : this.imagesPerMinute.take();
    if (wait !== undefined)
      return json(429, this.errorBody(429, 'Too Many Requests'), { 'retry-after': String(wait) });
    if (req.json === undefined || !isObject(req.json))
      return json(400, this.errorBody(400, 'request body must be JSON'));
    const body = req.json;
    const problem = await this.validate(spec.id, body);
    if (problem) return json(400, this.errorBody(400, problem));
    const format = (
      typeof body.output_format === 'string' ? body.output_format : spec.id.includes('2512') ? 'jpeg' : 'png'
    ) as FakeFormat;
    const size = await this.outputSize(spec.id, body);
    const prompt = String(body.prompt);
    const task: Task = {
      id: randomUUID().replaceAll('-', ''),
      key,
      model: spec.id,
      pollsLeft: this.pollsBeforeDone + 1,
      base64: body.enable_base64_output === true,
      format,
      image: await renderFakeImage(size.width, size.height, `${prompt}|${String(body.seed ?? '')}`, format),
      fail: prompt.includes(MAGIC.moderation)
        ? 'NSFW content detected in input prompt'
        : this.nextTaskFailure,
      nsfw: prompt.includes(MAGIC.filtered),
      createdAt: new Date().toISOString(),
    };
    this.nextTaskFailure = undefined;
    this.tasks.set(task.id, task);
    if (body.enable_sync_mode === true) task.pollsLeft = 0;
    return json(200, this.envelope(task));
  }

  private async validate(model: string, body: Record<string, unknown>): Promise<string | undefined> {
    const allowed = model.startsWith('ideogram-ai/')
      ? IDEOGRAM_FIELDS
      : model.includes('/edit')
        ? QWEN_EDIT_FIELDS
        : QWEN_FIELDS;
    const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
    if (unknown.length)
      return `unknown field(s) ${unknown.join(', ')}; accepted fields: ${allowed.join(', ')}`;
    if (typeof body.prompt !== 'string' || !body.prompt) return 'prompt: is required';
    if (model.startsWith('ideogram-ai/')) {
      if (
        body.aspect_ratio !== undefined &&
        !['1:1', '16:9', '9:16', '4:3', '3:4'].includes(String(body.aspect_ratio))
      ) {
        return 'aspect_ratio: must be one of 1:1, 16:9, 9:16, 4:3, 3:4';
      }
      if (
        body.style !== undefined &&
        !['Auto', 'General', 'Realistic', 'Design'].includes(String(body.style))
      ) {
        return 'style: must be one of Auto, General, Realistic, Design';
      }
      return undefined;
    }
    if (body.size !== undefined) {
      const m = /^(\d+)\*(\d+)$/.exec(String(body.size));
      if (!m) return `size: invalid value ${String(body.size)}, expected format: width*height`;
      const [w, h] = [Number(m[1]), Number(m[2])];
      if (w < 256 || h < 256 || w > 1536 || h > 1536) return 'size: each side must be between 256 and 1536';
    }
    if (body.output_format !== undefined && !['jpeg', 'png', 'webp'].includes(String(body.output_format))) {
      return 'output_format: must be one of jpeg, png, webp';
    }
    if (
      body.seed !== undefined &&
      (!Number.isInteger(body.seed) || Number(body.seed) < -1 || Number(body.seed) > 2147483647)
    ) {
      return 'seed: must be an integer between -1 and 2147483647';
    }
    if (model.includes('/edit')) {
      const images = body.images ?? (body.image === undefined ? undefined : [body.image]);
      if (!Array.isArray(images) || images.length === 0) return 'image: is required';
      if (images.length > 3) return 'images: at most 3 images';
      for (const url of images) {
        if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return 'image: must be a URL';
        const id = url.split('/files/')[1];
        const f = id ? this.files.get(id) : undefined;
        if (url.startsWith(this.origin) && (!f || !(await probe(f.bytes))))
          return `image: could not download ${url}`;
      }
    }
    return undefined;
  }

  private async outputSize(
    model: string,
    body: Record<string, unknown>,
  ): Promise<{ width: number; height: number }> {
    const m = /^(\d+)\*(\d+)$/.exec(String(body.size ?? ''));
    if (m) return { width: Number(m[1]), height: Number(m[2]) };
    const spec = wavespeedCatalogue.models.find((s) => s.id === model);
    if (spec?.sizing.kind === 'aspect_ratio') return spec.sizing.ratios[String(body.aspect_ratio ?? '1:1')]!;
    return { width: 1024, height: 1024 };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
