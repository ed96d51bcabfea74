import pino from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createContext } from './context.ts';
import { installCrashGuard } from './crash-guard.ts';
import { registerJobHandlers } from './jobs/handlers.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nFix the variables above (see .env.example) and start again.\n`);
      process.exit(1);
    }
    throw e;
  }
  const log = pino({ level: config.logLevel });
  installCrashGuard(log);
  const ctx = await createContext(config, log, { registerJobs: registerJobHandlers });
  const app = await buildApp(ctx);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  const stopOn = (signal: string) => () =>
    stop(signal).catch((err: unknown) => {
      log.error({ err, signal }, 'shutdown failed');
      process.exit(1);
    });
  process.on('SIGINT', stopOn('SIGINT'));
  process.on('SIGTERM', stopOn('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  log.info(`Image Studio is running at http://localhost:${config.port}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`Image Studio failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
