import { imageDimensions } from '../../imaging/probe.ts';
import { providerError } from '../errors.ts';
import { classifyStatus, errorText, type HttpResponse, type ProviderFailure } from '../http-client.ts';
import {
  asString,
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
import { nearestSize } from '../sizing.ts';
import type { ImageProvider, ModelSpec, ProviderAuth, ProviderRequest } from '../types.ts';
import { usesImagesArray, usesSizeField, wavespeedCatalogue } from './catalog.ts';

/** Our style presets mapped onto Ideogram's four styles; anything else stays `Auto`. */
const IDEOGRAM_STYLE: Readonly<Record<string, string>> = {
  photographic: 'Realistic',
  cinematic: 'Realistic',
  'analog-film': 'Realistic',
  'line-art': 'Design',
  isometric: 'Design',
  'low-poly': 'Design',
  'pixel-art': 'Design',
  'digital-art': 'General',
};

interface Task {
  id: string;
  status: string;
  outputs: string[];
  nsfw: boolean[];
  error: string;
  getUrl?: string;
}

const taskOf = (body: unknown): Task | undefined => {
  const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
  const id = data && asString(data.id);
  if (!data || !id) return undefined;
  const urls = isRecord(data.urls) ? data.urls : {};
  return {
    id,
    status: asString(data.status) ?? 'created',
    outputs: Array.isArray(data.outputs)
      ? data.outputs.filter((o): o is string => typeof o === 'string')
      : [],
    nsfw: Array.isArray(data.has_nsfw_contents) ? data.has_nsfw_contents.map((v) => v === true) : [],
    error: asString(data.error) ?? '',
    getUrl: asString(urls.get),
  };
};

const isRunning = (task: Task) => task.status === 'created' || task.status === 'processing';

export function classifyWavespeed(res: HttpResponse): ProviderFailure {
  const body = parseJson(res.body);
  const message = (isRecord(body) ? asString(body.message) : undefined) ?? errorText(res);
  if (/insufficient|balance|top.?up/i.test(message ?? '') && res.status !== 429)
    return { code: 'provider_quota', message };
  return classifyStatus(res, message);
}

/** A task that ended `failed`/`cancelled`/`timeout`: failed tasks are refunded, so another provider may try. */
function taskFailure(task: Task) {
  const message = task.error || `task ${task.status}`;
  if (/nsfw|sensitive|safety|moderat|content polic/i.test(message)) {
    return providerError('content_moderated', 'wavespeed', {
      providerMessage: message,
      providerRequestId: task.id,
    });
  }
  if (/insufficient|balance|credit/i.test(message)) {
    return providerError('provider_quota', 'wavespeed', {
      providerMessage: message,
      providerRequestId: task.id,
    });
  }
  return providerError('provider_unavailable', 'wavespeed', {
    providerMessage: message,
    providerRequestId: task.id,
  });
}

/** WaveSpeed v3 (providers.md §2): JSON submit, then poll the prediction until it is terminal. */
export function createWavespeedProvider(opts: ProviderClientOptions): ImageProvider {
  const http = makeHttp('wavespeed', opts, classifyWavespeed);
  const poll = opts.poll ?? { ...DEFAULT_POLL, intervalMs: 1_000 };
  const base = opts.baseUrl;
  const origin = new URL(base).origin;
  const headers = (auth: ProviderAuth) => ({
    authorization: `Bearer ${auth.apiKey}`,
    'content-type': 'application/json',
  });

  /** Image inputs are URLs: upload through the binary upload helper and use its download_url. */
  async function upload(bytes: Buffer, auth: ProviderAuth, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('file', imageBlob(bytes), `input.${extensionFor(sniffMime(bytes))}`);
    const res = await http.send({
      method: 'POST',
      url: `${base}/media/upload/binary`,
      headers: { authorization: `Bearer ${auth.apiKey}` },
      body: form,
      // An upload is free and has no effect until a task uses it, so repeating it is harmless.
      idempotent: true,
      signal,
    });
    const body = parseJson(res.body);
    const url = isRecord(body) && isRecord(body.data) ? asString(body.data.download_url) : undefined;
    if (!url)
      throw providerError('provider_unavailable', 'wavespeed', {
        providerMessage: 'upload returned no download_url',
      });
    return url;
  }

  async function buildBody(
    spec: ModelSpec,
    req: ProviderRequest,
    auth: ProviderAuth,
  ): Promise<Record<string, unknown>> {
    if (!req.prompt)
      throw providerError('provider_rejected', 'wavespeed', { providerMessage: 'prompt: is required' });
    const body: Record<string, unknown> = { prompt: req.prompt };
    if (req.operation === 'edit.general_edit') {
      if (!req.image)
        throw providerError('provider_rejected', 'wavespeed', { providerMessage: 'image: is required' });
      const urls = [await upload(req.image, auth, req.signal)];
      if (req.referenceImage && usesImagesArray(spec.id))
        urls.push(await upload(req.referenceImage, auth, req.signal));
      if (usesImagesArray(spec.id)) body.images = urls;
      else body.image = urls[0];
      const target =
        req.width && req.height ? { width: req.width, height: req.height } : await imageDimensions(req.image);
      const size = nearestSize(spec, target);
      body.size = `${size.width}*${size.height}`;
    } else if (usesSizeField(spec.id)) {
      const size = outputSize(spec, req);
      body.size = `${size.width}*${size.height}`;
    } else {
      body.aspect_ratio = outputSize(spec, req).aspectRatio;
      const style = req.stylePreset ? IDEOGRAM_STYLE[req.stylePreset] : undefined;
      if (style) body.style = style;
    }
    if (spec.supports.seed && req.seed !== undefined) body.seed = req.seed;
    if (usesSizeField(spec.id) && req.outputFormat) body.output_format = req.outputFormat;
    return body;
  }

  const pollUrl = (task: Task) =>
    task.getUrl?.startsWith(`${origin}/`)
      ? task.getUrl
      : `${base}/predictions/${encodeURIComponent(task.id)}/result`;

  async function download(output: string, signal?: AbortSignal): Promise<Buffer> {
    if (!/^https?:\/\//.test(output)) {
      const b64 = output.startsWith('data:') ? output.slice(output.indexOf(',') + 1) : output;
      return Buffer.from(b64, 'base64');
    }
    // Output URLs are public CDN links: the API key is not sent with them.
    const res = await http.send({ method: 'GET', url: output, idempotent: true, signal });
    return res.body;
  }

  return {
    id: 'wavespeed',
    catalogue: wavespeedCatalogue,
    health: () => ({ state: http.breaker.state, retryInMs: http.breaker.retryInMs() }),
    async run(req, auth) {
      const spec = requireModel('wavespeed', wavespeedCatalogue.models, req);
      await checkLimits('wavespeed', spec, req);
      const body = await buildBody(spec, req, auth);
      const res = await http.send({
        method: 'POST',
        url: `${base}/${spec.id}`,
        headers: headers(auth),
        body: JSON.stringify(body),
        idempotent: false,
        signal: req.signal,
      });
      const submitted = taskOf(parseJson(res.body));
      if (!submitted)
        throw providerError('provider_unavailable', 'wavespeed', {
          providerMessage: 'submit returned no task id',
        });
      // A sync-mode answer may already be terminal; only a queued or running task is polled.
      const done = !isRunning(submitted)
        ? submitted
        : await pollUntil(
            'wavespeed',
            poll,
            async () => {
              const r = await http.send({
                method: 'GET',
                url: pollUrl(submitted),
                headers: { authorization: `Bearer ${auth.apiKey}` },
                idempotent: true,
                signal: req.signal,
              });
              const task = taskOf(parseJson(r.body));
              if (!task)
                throw providerError('provider_unavailable', 'wavespeed', {
                  providerMessage: 'poll returned no task',
                });
              return isRunning(task) ? undefined : task;
            },
            req.signal,
            opts.sleep,
          );
      if (done.status !== 'completed') throw taskFailure(done);
      if (done.nsfw[0]) {
        throw providerError('content_moderated', 'wavespeed', {
          providerMessage: 'output flagged as NSFW',
          providerRequestId: done.id,
        });
      }
      const output = done.outputs[0];
      if (!output)
        throw providerError('provider_unavailable', 'wavespeed', {
          providerMessage: 'completed without outputs',
        });
      const image = await download(output, req.signal);
      return finishResult('wavespeed', req.operation, spec.id, image, {
        seed: typeof body.seed === 'number' ? body.seed : undefined,
        requestId: done.id,
      });
    },
    async testConnection(auth) {
      // WaveSpeed has no documented key-check endpoint: looking up a non-existent prediction answers
      // 401 for a bad key and 404 for a good one, without creating a paid task.
      await http.send({
        method: 'GET',
        url: `${base}/predictions/connection-test/result`,
        headers: { authorization: `Bearer ${auth.apiKey}` },
        idempotent: true,
        passStatuses: [404],
      });
    },
  };
}
