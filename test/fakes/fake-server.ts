import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault to inject into the next matching request(s). */
export interface Fault {
  status?: number;
  /** Retry-After header value (seconds or HTTP date). */
  retryAfter?: number | string;
  /** How many requests this fault applies to (default 1). */
  times?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** Override the provider's own error body. */
  body?: unknown;
  /** Only requests whose method+path match, e.g. /^GET / for polls. */
  match?: RegExp;
}

/** A request held by `holdNext` until the test lets it be answered. */
export interface HeldRequest {
  /** Resolves once a matching request has arrived (and is waiting). */
  reached: Promise<void>;
  release(): void;
}

export interface UploadedFile {
  filename: string;
  type: string;
  bytes: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  json?: unknown;
  fields?: Record<string, string>;
  files?: Record<string, UploadedFile>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | object;
}

/**
 * Base of the provider fakes: a real HTTP server on 127.0.0.1 that records every request, parses
 * JSON and multipart bodies, and injects faults on demand. Subclasses speak one provider's protocol.
 * For tests and offline development only — never a production dependency.
 */
export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private faults: Array<Fault & { left: number }> = [];
  private holds: Array<{ match?: RegExp; arrived: () => void; go: Promise<void> }> = [];
  private server?: http.Server;
  baseUrl = '';
  origin = '';
  /** Added to every answer, so tests can observe concurrency (see `maxInFlight`). */
  latencyMs = 0;
  /** The most requests this server was answering at the same moment. */
  maxInFlight = 0;
  private inFlight = 0;

  /** Path prefix of the provider's base URL (e.g. `/api/v3`). */
  protected abstract readonly prefix: string;
  protected abstract handle(req: RecordedRequest): Promise<Reply>;
  /** The provider's own error body for an injected status. */
  protected abstract errorBody(status: number, message: string): object;

  failNext(fault: Fault): this {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
    return this;
  }

  /**
   * Holds the next matching request before it is answered, so a test can act while a job is
   * waiting on the provider (kill a process, restart the database), then let it go on.
   */
  holdNext(match?: RegExp): HeldRequest {
    let arrived = () => {};
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release = () => {};
    const go = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.holds.push({ match, arrived, go });
    return { reached, release };
  }

  reset(): void {
    this.requests.length = 0;
    this.faults = [];
    this.holds = [];
    this.maxInFlight = 0;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.errorBody(500, String(err))));
      });
    });
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.baseUrl = `${this.origin}${this.prefix}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const idx = this.faults.findIndex((f) => !f.match || f.match.test(`${method} ${path}`));
    if (idx < 0) return undefined;
    const fault = this.faults[idx]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(idx, 1);
    return fault;
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      raw,
    };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json')) {
      try {
        rec.json = JSON.parse(raw.toString('utf8'));
      } catch {
        rec.json = undefined;
      }
    } else if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake', {
        method: 'POST',
        headers: { 'content-type': type },
        body: raw,
      })
        .formData()
        .catch(() => undefined);
      if (form) {
        rec.fields = {};
        rec.files = {};
        for (const [name, value] of form.entries()) {
          if (typeof value === 'string') rec.fields[name] = value;
          else
            rec.files[name] = {
              filename: value.name,
              type: value.type,
              bytes: Buffer.from(await value.arrayBuffer()),
            };
        }
      }
    }
    this.requests.push(rec);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.answer(rec, res);
    } finally {
      this.inFlight--;
    }
  }

  private async answer(rec: RecordedRequest, res: http.ServerResponse): Promise<void> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const held = this.holds.findIndex((h) => !h.match || h.match.test(`${rec.method} ${rec.path}`));
    if (held >= 0) {
      const [hold] = this.holds.splice(held, 1);
      hold?.arrived();
      await hold?.go;
    }
    const fault = this.takeFault(rec.method, rec.path);
    if (fault?.hang) return;
    const reply: Reply = fault?.status
      ? {
          status: fault.status,
          headers: fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
          body: fault.body ?? this.errorBody(fault.status, `injected ${fault.status}`),
        }
      : await this.handle(rec);
    const body =
      reply.body === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(reply.body)
          ? reply.body
          : typeof reply.body === 'string'
            ? Buffer.from(reply.body)
            : Buffer.from(JSON.stringify(reply.body));
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body !== undefined && !Buffer.isBuffer(reply.body) && typeof reply.body === 'object') {
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(reply.status, headers);
    res.end(body);
  }
}

export const json = (status: number, body: object, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

/** Magic words that trigger provider behaviours from a prompt, so a developer can click through them. */
export const MAGIC = {
  moderation: 'FAKE_MODERATE',
  filtered: 'FAKE_FILTERED',
} as const;
