import { infer } from './inference.ts';
import { ModelRequest, type ProcessReply } from './model-process-messages.ts';

// The model process of `model-process.ts`: one call at a time (the parent sends the next only
// after this one answers); sessions load on first use and stay until the parent kills it.
// A parent gone mid-call (killed) cannot read the answer: leave quietly rather than on EPIPE.
const reply = (m: ProcessReply) =>
  process.send?.(m, undefined, {}, (e) => {
    if (e) process.exit(0);
  });

process.on('message', async (message: unknown) => {
  const { id, call } = ModelRequest.parse(message);
  try {
    const outputs = await infer(call, () => reply({ id, kind: 'running' }));
    const used = process.cpuUsage();
    reply({ id, kind: 'done', outputs, cpuMs: (used.user + used.system) / 1000 });
  } catch (e) {
    reply({ id, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
});
// The parent is gone (it exited or was killed): nothing can read the answers any more.
process.on('disconnect', () => process.exit(0));
