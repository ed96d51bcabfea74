import { SLICE_PIXELS, type Sliced } from '../../../util/slices.ts';
import type { RawImage } from '../raw-image.ts';
import { boxMean } from './box-mean.ts';

/**
 * Edge refinement of a cut-out in a band around ISNet's uncertain edge, run in horizontal strips
 * (bounded memory, one slice of work each). ISNet sees a 1024² copy, so around hair and fine edges
 * its mask, stretched back to the photo, is a soft haze: the strands and the background between them
 * get the same partial alpha, and the cut-out keeps the old background's colour there.
 *
 * Local colour-line matting: each band pixel is a mix I = αF + (1−α)B of the subject's and the
 * background's colours nearby, F̂ and B̂ estimated as the mean photo colour where ISNet is sure
 * (α ≥ 0.95, α ≤ 0.05) within `radius`. Alpha is I's projection on the line B̂→F̂, trusted as far
 * as the two colours differ (where they are alike, ISNet's alpha stays). The fringe's colour is then
 * estimated by blur fusion (Germer et al.): F = F̂ + α(I − αF̂ − (1−α)B̂), so a new background does
 * not show the old one's colour through the strands.
 */

export interface EdgeRefineOptions {
  /** How far (pixels) to look for the sure subject and background colours. */
  radius: number;
  /** How far (pixels) around ISNet's uncertain alpha the band reaches. */
  band: number;
}

/** Defaults for a photo whose long side is `longSide` pixels. */
export function edgeRefineOptions(longSide: number): EdgeRefineOptions {
  return { radius: Math.max(12, Math.round(0.04 * longSide)), band: Math.max(2, Math.round(longSide / 768)) };
}

const SURE_BACKGROUND = 13;
const SURE_SUBJECT = 242;
/** Squared colour distance (0..1 per channel, summed) at which the projection gets half the say. */
const SEPARATION = 3 * 0.08 * 0.08;

/** Rows [from, to) of one channel of `img` as 0..1 floats. */
function channelRows(img: RawImage, channel: number, from: number, to: number): Float32Array {
  const out = new Float32Array((to - from) * img.width);
  const c = img.channels;
  for (let i = 0, src = from * img.width * c + channel; i < out.length; i++, src += c) {
    out[i] = img.data[src]! / 255;
  }
  return out;
}

function anyUnsure(alpha: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (alpha[i]! > SURE_BACKGROUND && alpha[i]! < SURE_SUBJECT) return true;
  return false;
}

/** Rows [y0, y1): refined alpha into `alpha` and the fringe's colour into `rgb`, inside the band. */
function refineStrip(
  img: RawImage,
  coarse: Uint8Array,
  out: RefinedCutout,
  y0: number,
  y1: number,
  options: EdgeRefineOptions,
): void {
  const w = img.width;
  const reach = Math.max(options.radius, options.band);
  const from = Math.max(0, y0 - reach);
  const to = Math.min(img.height, y1 + reach);
  const h = to - from;
  const n = h * w;
  const subject = new Float32Array(n);
  const background = new Float32Array(n);
  const unsure = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = coarse[from * w + i]!;
    subject[i] = a >= SURE_SUBJECT ? 1 : 0;
    background[i] = a <= SURE_BACKGROUND ? 1 : 0;
    unsure[i] = a > SURE_BACKGROUND && a < SURE_SUBJECT ? 1 : 0;
  }
  const tmp = new Float32Array(n);
  const product = new Float32Array(n);
  const band = new Float32Array(n);
  boxMean(unsure, w, h, options.band, band, tmp);
  const subjectShare = new Float32Array(n);
  const backgroundShare = new Float32Array(n);
  boxMean(subject, w, h, options.radius, subjectShare, tmp);
  boxMean(background, w, h, options.radius, backgroundShare, tmp);
  const I = [0, 1, 2].map((c) => channelRows(img, c, from, to));
  const F = [0, 1, 2].map(() => new Float32Array(n));
  const B = [0, 1, 2].map(() => new Float32Array(n));
  for (let c = 0; c < 3; c++) {
    const channel = I[c]!;
    for (let i = 0; i < n; i++) product[i] = subject[i]! * channel[i]!;
    boxMean(product, w, h, options.radius, F[c]!, tmp);
    for (let i = 0; i < n; i++) product[i] = background[i]! * channel[i]!;
    boxMean(product, w, h, options.radius, B[c]!, tmp);
  }
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y - from) * w + x;
      const s = subjectShare[i]!;
      const b = backgroundShare[i]!;
      if (band[i]! <= 0 || s <= 0 || b <= 0) continue;
      let dot = 0;
      let norm = 0;
      for (let c = 0; c < 3; c++) {
        const f = F[c]![i]! / s;
        const g = B[c]![i]! / b;
        dot += (I[c]![i]! - g) * (f - g);
        norm += (f - g) * (f - g);
      }
      const p = y * w + x;
      const trust = norm / (norm + SEPARATION);
      const projected = Math.min(1, Math.max(0, dot / Math.max(norm, 1e-9)));
      const a = trust * projected + (1 - trust) * (coarse[p]! / 255);
      out.alpha[p] = Math.round(a * 255);
      if (a <= 0 || a >= 1) continue;
      for (let c = 0; c < 3; c++) {
        const f = F[c]![i]! / s;
        const g = B[c]![i]! / b;
        const colour = f + a * (I[c]![i]! - a * f - (1 - a) * g);
        out.rgb[p * 3 + c] = Math.round(Math.min(1, Math.max(0, colour)) * 255);
      }
    }
  }
}

export interface RefinedCutout {
  /** Refined alpha, one byte per pixel. */
  alpha: Uint8Array;
  /** Foreground colour: the photo's own except on the fringe. */
  rgb: Buffer;
}

/** Refines ISNet's `coarse` alpha (at the image's size) and the fringe's colour; yields per strip. */
export function* refineEdges(
  img: RawImage,
  coarse: Uint8Array,
  options: EdgeRefineOptions,
): Sliced<RefinedCutout> {
  const { width: w, height: h } = img;
  const out: RefinedCutout = { alpha: Uint8Array.from(coarse), rgb: Buffer.alloc(w * h * 3) };
  for (let i = 0, src = 0; i < w * h; i++, src += img.channels) {
    out.rgb[i * 3] = img.data[src]!;
    out.rgb[i * 3 + 1] = img.data[src + 1]!;
    out.rgb[i * 3 + 2] = img.data[src + 2]!;
  }
  yield;
  // Strips tall enough that the look-around margins do not dominate the work.
  const rows = Math.max(2 * options.radius, Math.floor(SLICE_PIXELS / 2 / w), 16);
  for (let y0 = 0; y0 < h; y0 += rows) {
    const y1 = Math.min(h, y0 + rows);
    if (anyUnsure(coarse, Math.max(0, y0 - options.band) * w, Math.min(h, y1 + options.band) * w)) {
      refineStrip(img, coarse, out, y0, y1, options);
      yield;
    }
  }
  return out;
}
