import pino from 'pino';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createContext } from '../../apps/server/src/context.ts';

/**
 * A server-like process for the crash test: it starts the real context on the data folder given in
 * the environment, submits a slow job, prints its id once the job runs, and waits to be SIGKILLed.
 */
const config = loadConfig();
const ctx = await createContext(config, pino({ level: 'silent' }), {
  registerJobs: (registry) =>
    registry.register({
      type: 'test.forever',
      run: async (job) => {
        await job.progress(10);
        await new Promise(() => undefined);
      },
    }),
});
const userId = Number(process.env.CRASH_USER_ID);
const job = await ctx.jobs.submit(userId, 'test.forever', {});
const unsubscribe = ctx.jobs.subscribe(job.id, (event) => {
  if (event.status === 'running' && event.progress >= 10) {
    unsubscribe();
    process.stdout.write(`${job.id}\n`);
  }
});
