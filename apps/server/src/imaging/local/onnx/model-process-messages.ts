import { z } from 'zod';
import { MODEL_NAMES } from './onnx-thread.ts';

/** The messages between `model-process.ts` and its child, structured-cloned over IPC. */
const Tensor = z.object({
  data: z.custom<Float32Array>((v) => v instanceof Float32Array, 'a Float32Array'),
  dims: z.array(z.number().int()),
});

export const ModelRequest = z.object({
  id: z.number().int(),
  call: z.object({
    model: z.enum(MODEL_NAMES),
    inputs: z.array(Tensor),
    outputs: z.array(z.string()).optional(),
  }),
});
export type ModelRequest = z.infer<typeof ModelRequest>;

export const ProcessReply = z.discriminatedUnion('kind', [
  /** The session is loaded and the inference has started: from here on, only a kill stops it. */
  z.object({ id: z.number().int(), kind: z.literal('running') }),
  /** `cpuMs`: the child's CPU time so far (user + system), so callers can count it. */
  z.object({ id: z.number().int(), kind: z.literal('done'), outputs: z.array(Tensor), cpuMs: z.number() }),
  z.object({ id: z.number().int(), kind: z.literal('failed'), message: z.string() }),
]);
export type ProcessReply = z.infer<typeof ProcessReply>;
