import pino from 'pino';
import { installCrashGuard } from '../../apps/server/src/crash-guard.ts';
import { inScope } from '../../apps/server/src/util/log-scope.ts';

/**
 * For crash-guard.test.ts: a process with the crash guard that leaves a rejection unhandled inside
 * a job, shows it still runs, then throws inside a request and is expected to exit with status 1.
 */
installCrashGuard(pino());
inScope({ jobId: 'job-7' }, () => {
  setTimeout(() => {
    Promise.reject(new Error('a stray rejection'));
  }, 10);
});
setTimeout(() => {
  process.stdout.write('still running\n');
  inScope({ requestId: 'req-9' }, () => {
    setTimeout(() => {
      throw new Error('a throw nobody catches');
    }, 10);
  });
}, 200);
setTimeout(() => process.stdout.write('should have exited\n'), 5_000);
