/**
 * The part of autocannon's API the load bench uses (the package ships no types, and there is no
 * @types package in the tree). See node_modules/autocannon/README.md.
 */
declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
  }

  interface Request {
    method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
  }

  interface Options {
    url: string;
    title?: string;
    connections?: number;
    duration?: number;
    /** Seconds to wait for an answer before counting a timeout. */
    timeout?: number;
    requests?: Request[];
  }

  interface Result {
    title?: string;
    duration: number;
    requests: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
    '1xx': number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
  }

  export default function autocannon(options: Options): PromiseLike<Result>;
}
