import createClient from 'openapi-fetch';
import type { components, paths } from './schema.gen.ts';

export type { paths };
/** The named schemas of the answers (`Asset`, `Job`, …) as the server sends them. */
export type Schemas = components['schemas'];

/** The JSON body a route takes, as the server validates it (fields with defaults are optional). */
export type BodyOf<P extends keyof paths, M extends 'post' | 'put' | 'patch' | 'delete' = 'post'> =
  NonNullable<paths[P][M]> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

type PathParams<P extends keyof paths> =
  NonNullable<paths[P]['get']> extends { parameters: { path: infer A } } ? A : never;

/**
 * A same-origin URL of a GET route, for what the browser fetches itself (EventSource, `<img src>`,
 * download links): the path's params and the query are checked like a client call's.
 */
export function urlOf<P extends keyof paths>(
  path: P,
  params: PathParams<P> & Record<string, string | number>,
  query?: QueryOf<P>,
): string {
  const values = new Map(Object.entries(params));
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(values.get(name))),
  );
  const qs = queryString(query);
  return qs ? `${filled}?${qs}` : filled;
}

/** A route's query parameters. */
export type QueryOf<P extends keyof paths, M extends 'get' | 'post' | 'delete' = 'get'> =
  NonNullable<paths[P][M]> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** An API failure carrying the server's stable code and message (and the request id for support). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The one error shape, `{error: {code, message, details?}, requestId}`, read without trusting the body. */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    const requestId = isRecord(body) && typeof body.requestId === 'string' ? body.requestId : undefined;
    return new ApiError(status, error.code, error.message, error.details, requestId);
  }
  return new ApiError(status, 'http_error', `The server answered ${status}.`);
}

/** A query string as the server reads it: empty, null and undefined values are left out; arrays repeat the key. */
export function queryString(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') {
        params.append(key, String(item));
      }
    }
  }
  return params.toString();
}

/** fetch, with "could not connect" as an ApiError; an abort stays an AbortError for the caller's signal. */
async function fetchOrNetworkError(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection.');
  }
}

/** A client typed by the server's OpenAPI document: paths, params, query, bodies and answers. */
export function createApiClient(baseUrl = '') {
  return createClient<paths>({
    baseUrl,
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    querySerializer: queryString,
    fetch: fetchOrNetworkError,
  });
}

/** The app's client (same origin, the session cookie). */
export const client = createApiClient();

/** What each client method resolves to: the body of a 2xx answer in `data`, or the parsed failure in `error`. */
interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The answer's body, or the server's error as an ApiError: `await ok(client.GET('/api/jobs/{id}', …))`. */
export async function ok<D>(pending: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await pending;
  if (data === undefined) {
    throw apiErrorOf(response.status, error);
  }
  return data;
}

const isAccepted = <D>(data: D): data is Extract<D, { job_id: string; events_url: string }> =>
  typeof data === 'object' && data !== null && 'job_id' in data && 'events_url' in data;

/** A job started with `async: true`: the 202 answer naming the job, typed as that (not the 200 result). */
export async function accepted<D>(
  pending: Promise<Answer<D>>,
): Promise<Extract<D, { job_id: string; events_url: string }>> {
  const data = await ok(pending);
  if (!isAccepted(data)) {
    throw new ApiError(200, 'http_error', 'The server answered with a result where a job was expected.');
  }
  return data;
}
