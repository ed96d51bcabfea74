import type { FastifyBaseLogger } from 'fastify';
import { PeriodicTask } from '../assets/periodic-task.ts';

const HOUR_MS = 3_600_000;

/** What the sweeper needs (AuthService in the app). */
export interface ExpiredSessionDeleter {
  deleteExpiredSessions(): Promise<number>;
}

/** Deletes expired sessions shortly after start and then every hour. */
export class SessionSweeper extends PeriodicTask {
  constructor(auth: ExpiredSessionDeleter, log: FastifyBaseLogger, intervalMs = HOUR_MS) {
    super(async () => {
      try {
        const deleted = await auth.deleteExpiredSessions();
        if (deleted > 0) {
          log.info({ deleted }, 'deleted expired sessions');
        }
      } catch (e) {
        log.error({ err: e }, 'session sweep failed');
      }
    }, intervalMs);
  }
}
