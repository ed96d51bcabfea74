import pino from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { createContext } from './context.ts';
import { installCrashGuard } from './crash-guard.ts';
import { registerJobHandlers } from './jobs/handlers.ts';

/** `npm run worker`: a process that only works BullMQ jobs; start as many as the machines allow. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl) {
    throw new ConfigError(['REDIS_URL: required for `npm run worker` (workers take jobs from Redis).']);
  }
  const log = pino({ level: config.logLevel });
  installCrashGuard(log);
  const ctx = await createContext(config, log, { registerJobs: registerJobHandlers, workJobs: true });
  log.info({ concurrency: config.jobConcurrency }, 'worker started');
  const stop = (signal: string) => () =>
    ctx.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err, signal }, 'shutdown failed');
        process.exit(1);
      },
    );
  process.on('SIGINT', stop('SIGINT'));
  process.on('SIGTERM', stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Worker failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
