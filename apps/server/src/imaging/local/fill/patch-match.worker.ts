import { parentPort } from 'node:worker_threads';
import type { RawImage, RawMask } from '../raw-image.ts';
import { NoSourceTextureError, type PatchMatchOptions, patchMatchFillSplit } from './patch-match.ts';
import { SplitHelper } from './split-helper.ts';

/** PatchMatch fills on their own thread, one request at a time (see patch-match-thread.ts). */
interface Request {
  id: number;
  img: RawImage;
  mask: RawMask;
  options: PatchMatchOptions;
}

const helper = new SplitHelper();

parentPort?.on('message', async ({ id, img, mask, options }: Request) => {
  const data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  try {
    const out = await patchMatchFillSplit({ ...img, data }, mask, options, helper.run);
    parentPort?.postMessage({ id, ok: true, data: out.data });
  } catch (e) {
    parentPort?.postMessage({
      id,
      ok: false,
      noSourceTexture: e instanceof NoSourceTextureError,
      message: e instanceof Error ? e.message : String(e),
    });
  }
});
