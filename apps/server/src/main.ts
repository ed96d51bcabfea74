import v8 from 'node:v8';
import pino from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createContext } from './context.ts';
import { installCrashGuard } from './crash-guard.ts';
import { dctDecodingAvailable } from './imaging/jpeg-dct.ts';
import { serveWorkerMetrics } from './metrics/worker-metrics-server.ts';

/**
 * V8 sizes the next heap limit barely above the live heap (~56 MB here), so the short-lived garbage
 * of one Social export (12 MP, 20 formats) set off two or three full collections of the whole heap:
 * 150–250 ms of the main thread per export. Letting the heap double first leaves one at most
 * (~17 ms; `--trace-gc` over 6 exports) for about the same peak memory. Read at each collection.
 */
v8.setFlagsFromString('--heap-growing-percent=100');

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
  for (const note of config.deprecations) log.warn(note);
  // Optional, so said once: every node of a deployment should decode analyses the same way.
  if (!dctDecodingAvailable()) {
    log.info(
      'libturbojpeg.so.0 not found: JPEG analyses decode through libvips (install libturbojpeg0 for the faster decode)',
    );
  }
  const ctx = await createContext(config, log);
  // A worker serves no HTTP: it only takes jobs from Redis (the API processes answer for them).
  const app = config.role === 'worker' ? undefined : await buildApp(ctx);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info({ signal }, 'shutting down; finishing running jobs');
    await app?.close();
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

  if (!app) {
    const { port, token } = config.metrics;
    if (port !== undefined && token) {
      await serveWorkerMetrics(ctx.metrics, { port, host: config.host, token });
    }
    log.info({ concurrency: config.workerConcurrency, metricsPort: port }, 'worker started');
    return;
  }
  await app.listen({ port: config.port, host: config.host });
  log.info({ role: config.role }, `Image Studio is running at http://localhost:${config.port}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`Image Studio failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
