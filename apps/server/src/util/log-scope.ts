import { AsyncLocalStorage } from 'node:async_hooks';

/** Which request or job the code running now works for. */
export interface LogScope {
  requestId?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<LogScope>();

/**
 * The ids of the request or job whose async context is running: Node keeps the context through
 * timers and promises, and into the process-level crash handlers, so a last-resort log line still
 * says whose failure it was.
 */
export function currentScope(): LogScope {
  return storage.getStore() ?? {};
}

export function inScope<T>(scope: LogScope, fn: () => T): T {
  return storage.run({ ...currentScope(), ...scope }, fn);
}

/** Fastify `onRequest` hook: the rest of the request runs in its scope. */
export function scopeRequest(request: { id: string }, _reply: unknown, done: () => void): void {
  inScope({ requestId: request.id }, done);
}
