import sharp from 'sharp';
import { boxMean } from '../background-removal/box-mean.ts';
import type { RawImage } from '../raw-image.ts';

/**
 * A cut-out test with a known answer: a real photo's pixels as the subject, given a synthetic soft
 * alpha (a wavy body with a 2–3 px soft edge and a few hundred fine translucent strands, like hair)
 * and composited over a real background photo. Comparing a cut-out of the composite with `alpha`
 * and `foreground` measures error along the edge, where cut-outs go wrong.
 */
export interface KnownAlphaScene {
  composite: RawImage;
  foreground: RawImage;
  /** True alpha, 0..1, one per pixel. */
  alpha: Float32Array;
}

/** Deterministic 0..1 sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hairyAlpha(size: number, seed: number): Float32Array {
  const alpha = new Float32Array(size * size);
  const cx = 0.49 * size;
  const cy = 0.47 * size;
  const r0 = 0.34 * size;
  const rim = (t: number) =>
    r0 * (1 + 0.06 * Math.sin(3 * t + 1) + 0.03 * Math.sin(7 * t + 2) + 0.015 * Math.sin(17 * t));
  const soft = 2.5 * (size / 1024);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const a = (rim(Math.atan2(y - cy, x - cx)) - d) / soft + 0.5;
      alpha[y * size + x] = Math.min(1, Math.max(0, a));
    }
  }
  const next = random(seed);
  const width = 0.7 * (size / 1024);
  for (let k = 0; k < 400; k++) {
    let t = next() * 2 * Math.PI;
    const length = size * (0.015 + 0.035 * next());
    const opacity = 0.5 + 0.4 * next();
    const bend = (next() - 0.5) * 0.004;
    let d = rim(t) - 4;
    for (let s = 0; s < length; s += 0.5) {
      const x = cx + d * Math.cos(t);
      const y = cy + d * Math.sin(t);
      const a = opacity * (1 - s / length);
      for (let yy = Math.floor(y - 2); yy <= Math.ceil(y + 2); yy++) {
        for (let xx = Math.floor(x - 2); xx <= Math.ceil(x + 2); xx++) {
          if (xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
          const cover = Math.max(0, 1 - Math.max(0, Math.hypot(xx - x, yy - y) - width));
          const i = yy * size + xx;
          alpha[i] = Math.max(alpha[i]!, a * cover);
        }
      }
      d += 0.5;
      t += bend;
    }
  }
  return alpha;
}

/** `foreground` photo over `background` photo at size², through a hairy soft alpha. */
export async function knownAlphaScene(
  foreground: Buffer,
  background: Buffer,
  size: number,
  seed = 7,
): Promise<KnownAlphaScene> {
  const read = (photo: Buffer) =>
    sharp(photo).resize(size, size, { fit: 'cover' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
  const fg = await read(foreground);
  const bg = await read(background);
  const alpha = hairyAlpha(size, seed);
  const data = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const a = alpha[i]!;
    for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.round(a * fg[i * 3 + c]! + (1 - a) * bg[i * 3 + c]!);
  }
  return {
    composite: { data, width: size, height: size, channels: 3 },
    foreground: { data: fg, width: size, height: size, channels: 3 },
    alpha,
  };
}

export interface EdgeErrors {
  /** Mean |predicted − true| alpha in the edge band, in 0..255 steps. */
  alphaError: number;
  /** Mean |predicted − true| foreground colour in the band, weighted by true alpha, in 0..255 steps. */
  colourError: number;
  bandPixels: number;
}

/**
 * Errors of an RGBA cut-out of `scene.composite` along the edge: the band is every pixel within
 * `reach` of both some subject (α > 0.02) and some background (α < 0.98), strands included.
 */
export function edgeErrors(cutout: RawImage, scene: KnownAlphaScene, reach = 6): EdgeErrors {
  const { width: w, height: h } = scene.composite;
  const n = w * h;
  const some = new Float32Array(n);
  const none = new Float32Array(n);
  const tmp = new Float32Array(n);
  const nearSubject = new Float32Array(n);
  const nearBackground = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    some[i] = scene.alpha[i]! > 0.02 ? 1 : 0;
    none[i] = scene.alpha[i]! < 0.98 ? 1 : 0;
  }
  boxMean(some, w, h, reach, nearSubject, tmp);
  boxMean(none, w, h, reach, nearBackground, tmp);
  let band = 0;
  let alphaSum = 0;
  let colourSum = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    if (nearSubject[i]! <= 0 || nearBackground[i]! <= 0) continue;
    band++;
    const a = scene.alpha[i]!;
    alphaSum += Math.abs(cutout.data[i * 4 + 3]! - a * 255);
    let diff = 0;
    for (let c = 0; c < 3; c++) diff += Math.abs(cutout.data[i * 4 + c]! - scene.foreground.data[i * 3 + c]!);
    colourSum += (a * diff) / 3;
    weight += a;
  }
  return { alphaError: alphaSum / band, colourError: colourSum / weight, bandPixels: band };
}
