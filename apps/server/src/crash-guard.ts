import type { FastifyBaseLogger } from 'fastify';
import { currentScope } from './util/log-scope.ts';

/**
 * The last line of defence of a server or worker process, after every rejection and emitter error
 * that is known has been caught at its source.
 *
 * An unhandled rejection is logged and the process keeps serving: nobody awaited that promise, so
 * no caller is left waiting on it, and the request or job it belonged to has already answered or
 * failed. Ending the process would drop every other request and running job (some mid-way through
 * a paid provider call) for a fault that hurt none of them.
 *
 * An uncaught exception is logged and the process exits with status 1: a throw that unwound to the
 * event loop left whatever it was updating half-done (a runner's bookkeeping, a stream, a lock), and
 * Node documents the process as being in an undefined state from then on. A supervisor (systemd,
 * Docker `restart:`, Kubernetes) starts it again, and start-up fails or re-queues the jobs it left
 * running.
 */
export function installCrashGuard(log: FastifyBaseLogger, exit: (code: number) => void = process.exit): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason, ...currentScope() }, 'unhandled promise rejection (the process keeps running)');
  });
  process.on('uncaughtException', (err, origin) => {
    log.fatal({ err, origin, ...currentScope() }, 'uncaught exception; exiting so a supervisor restarts');
    exit(1);
  });
}
