import { describe, expect, it, vi } from 'vitest';
import { isAlive } from '../testing/process-alive.ts';
import { ModelProcess } from './model-process.ts';
import type { FloatTensor, ModelCall } from './onnx-thread.ts';

/** An ESRGAN call on an edge × edge input of a fixed pattern (256²: seconds of CPU; 16²: little). */
function esrganCall(edge: number): ModelCall {
  const data = Float32Array.from({ length: 3 * edge * edge }, (_, i) => (Math.sin(i * 0.37) + 1) / 2);
  return { model: 'esrgan-thick-4x', inputs: [{ data, dims: [1, 3, edge, edge] }] };
}

const untilRunning = (models: ModelProcess) =>
  vi.waitFor(() => expect(models.running).toBe(true), { timeout: 120_000, interval: 5 });

describe('the model process (killable inference)', () => {
  const models = new ModelProcess();
  let small: FloatTensor[];

  it('runs a call in a child process and keeps it (and its session) for the next', async () => {
    small = await models.run(esrganCall(16));
    const pid = models.pid;
    expect(small[0]!.dims).toEqual([1, 3, 64, 64]);
    expect(pid).toBeDefined();
    expect(isAlive(pid!)).toBe(true);
    expect(models.cpuMs).toBeGreaterThan(0);
    const again = await models.run(esrganCall(16));
    expect(models.pid).toBe(pid);
    expect(Buffer.from(again[0]!.data.buffer).equals(Buffer.from(small[0]!.data.buffer))).toBe(true);
  }, 120_000);

  it('an abort during an inference kills the child; the call rejects once it is gone; the next call starts a new one with the same result', async () => {
    const stop = new AbortController();
    const run = models.run(esrganCall(256), stop.signal);
    await untilRunning(models);
    const pid = models.pid!;
    stop.abort(new Error('job canceled'));
    await expect(run).rejects.toThrow('job canceled');
    // Settled only after the exit: nothing of the canceled inference is left running.
    expect(isAlive(pid)).toBe(false);
    expect(models.pid).toBeUndefined();
    expect(models.running).toBe(false);

    const after = await models.run(esrganCall(16));
    expect(models.pid).not.toBe(pid);
    expect(Buffer.from(after[0]!.data.buffer).equals(Buffer.from(small[0]!.data.buffer))).toBe(true);
  }, 240_000);

  it('a call aborted while it waits its turn leaves the queue; the running call and its child carry on', async () => {
    const first = models.run(esrganCall(64));
    const stop = new AbortController();
    const queued = models.run(esrganCall(16), stop.signal);
    await untilRunning(models);
    const pid = models.pid;
    stop.abort(new Error('job canceled'));
    await expect(queued).rejects.toThrow('job canceled');
    expect(models.pid).toBe(pid);
    expect((await first)[0]!.dims).toEqual([1, 3, 256, 256]);
    expect(models.pid).toBe(pid);

    const already = new AbortController();
    already.abort(new Error('canceled before it ran'));
    await expect(models.run(esrganCall(16), already.signal)).rejects.toThrow('canceled before it ran');
    expect(models.pid).toBe(pid);
  }, 240_000);

  it('a child that dies mid-call fails that call with why; the next call works in a new child', async () => {
    const run = models.run(esrganCall(256));
    await untilRunning(models);
    const pid = models.pid!;
    process.kill(pid, 'SIGKILL');
    await expect(run).rejects.toThrow('the model process stopped (SIGKILL)');
    const after = await models.run(esrganCall(16));
    expect(models.pid).not.toBe(pid);
    expect(Buffer.from(after[0]!.data.buffer).equals(Buffer.from(small[0]!.data.buffer))).toBe(true);
  }, 240_000);

  it('a model error comes back as an error, and the child stays', async () => {
    const pid = models.pid;
    const bad: ModelCall = {
      model: 'esrgan-thick-4x',
      inputs: [{ data: new Float32Array(3), dims: [1, 1, 1, 3] }],
    };
    await expect(models.run(bad)).rejects.toThrow(/LR_input|dimension|Got invalid/i);
    expect(models.pid).toBe(pid);
  }, 120_000);
});
