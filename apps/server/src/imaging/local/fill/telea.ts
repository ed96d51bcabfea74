import { createRequire } from 'node:module';
import type { RawImage, RawMask } from '../raw-image.ts';

type OpenCv = typeof import('@techstark/opencv-js');

/** OpenCV.js (wasm) compiles on first use (~1 s); the module is shared afterwards. */
class OpenCvLoader {
  // The emscripten module is itself thenable (resolving a promise with it never settles), so it is
  // always handed around wrapped in an object.
  private ready: Promise<{ cv: OpenCv }> | undefined;

  load(): Promise<{ cv: OpenCv }> {
    this.ready ??= new Promise((resolve) => {
      const cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv & {
        onRuntimeInitialized?: () => void;
      };
      if (typeof cv.Mat === 'function') resolve({ cv });
      else cv.onRuntimeInitialized = () => resolve({ cv });
    });
    return this.ready;
  }
}

export const openCv = new OpenCvLoader();

/**
 * OpenCV's Telea fast-marching inpainting: smooth, good for scratches, thin strokes and small
 * blemishes; it smears texture over larger holes.
 */
export async function teleaInpaint(img: RawImage, mask: RawMask, radius = 5): Promise<RawImage> {
  const { cv } = await openCv.load();
  const type = img.channels === 4 ? cv.CV_8UC4 : cv.CV_8UC3;
  const src = new cv.Mat(img.height, img.width, type);
  const m = new cv.Mat(img.height, img.width, cv.CV_8UC1);
  const dst = new cv.Mat();
  const rgb = new cv.Mat();
  try {
    src.data.set(img.data);
    m.data.set(mask.data);
    // cv.inpaint takes 1 or 3 channels: inpaint RGB, then copy alpha unchanged.
    if (img.channels === 4) cv.cvtColor(src, rgb, cv.COLOR_RGBA2RGB);
    else src.copyTo(rgb);
    cv.inpaint(rgb, m, dst, radius, cv.INPAINT_TELEA);
    const out = Buffer.from(img.data);
    const filled = dst.data;
    for (let i = 0; i < img.width * img.height; i++) {
      if (!mask.data[i]) continue;
      for (let k = 0; k < 3; k++) out[i * img.channels + k] = filled[i * 3 + k]!;
    }
    return { ...img, data: out };
  } finally {
    for (const mat of [src, m, dst, rgb]) mat.delete();
  }
}
