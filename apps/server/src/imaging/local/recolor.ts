import { validationFailed } from '../../errors.ts';
import { nextTurn, SLICE_PIXELS } from '../../util/slices.ts';
import { CSS_NAMED_COLORS } from './css-named-colors.ts';
import { fitMask } from './mask.ts';
import { assertRawImage, type RawImage, type RawMask } from './raw-image.ts';

export type Rgb = readonly [number, number, number];

/** Parses a CSS colour name, `#rgb` or `#rrggbb` into 8-bit sRGB. */
export function parseColor(input: string): Rgb {
  const value = input.trim().toLowerCase();
  const hex = CSS_NAMED_COLORS[value] ?? value;
  const short = /^#?([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(hex);
  if (short)
    return [
      parseInt(short[1]! + short[1]!, 16),
      parseInt(short[2]! + short[2]!, 16),
      parseInt(short[3]! + short[3]!, 16),
    ];
  const long = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(hex);
  if (long) return [parseInt(long[1]!, 16), parseInt(long[2]!, 16), parseInt(long[3]!, 16)];
  throw validationFailed(`Unknown colour "${input}": use a CSS colour name or a hex value like #1e90ff.`);
}

const toLinear = (v: number): number => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (v: number): number => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** sRGB bytes → Oklab (L, a, b). */
function oklab(r8: number, g8: number, b8: number): [number, number, number] {
  const r = toLinear(r8);
  const g = toLinear(g8);
  const b = toLinear(b8);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** Oklab → linear sRGB (may be out of gamut). */
function linearFromOklab(L: number, a: number, b: number): [number, number, number] {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
}

const inGamut = (rgb: number[]): boolean => rgb.every((v) => v >= -1e-4 && v <= 1 + 1e-4);

/** The colour with lightness L, hue angle h and the largest in-gamut chroma up to `chroma`. */
function fitChroma(L: number, h: number, chroma: number): [number, number, number] {
  const at = (c: number) => linearFromOklab(L, c * Math.cos(h), c * Math.sin(h));
  let rgb = at(chroma);
  if (!inGamut(rgb)) {
    let lo = 0;
    let hi = chroma;
    for (let i = 0; i < 10; i++) {
      const mid = (lo + hi) / 2;
      if (inGamut(at(mid))) lo = mid;
      else hi = mid;
    }
    rgb = at(lo);
  }
  return rgb.map((v) => Math.min(255, Math.max(0, Math.round(toSrgb(Math.min(1, Math.max(0, v))))))) as [
    number,
    number,
    number,
  ];
}

/**
 * Recolours the masked region to `color` (CSS name or hex): each pixel keeps its Oklab lightness
 * (so shading and texture stay), takes the target's hue, and the target's chroma scaled by how
 * saturated the pixel was relative to the region. Soft mask values blend; pixels where the mask is
 * 0 are returned byte-identical, alpha is never touched.
 */
export async function recolor(image: RawImage, mask: RawImage | RawMask, color: string): Promise<RawImage> {
  assertRawImage(image);
  const target = parseColor(color);
  const m = await fitMask(mask, image.width, image.height);
  const [, ta, tb] = oklab(...target);
  const targetHue = Math.atan2(tb, ta);
  const targetChroma = Math.hypot(ta, tb);
  const c = image.channels;
  const n = image.width * image.height;

  let chromaSum = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    if (i % SLICE_PIXELS === SLICE_PIXELS - 1) await nextTurn();
    const w = m.data[i]!;
    if (!w) continue;
    const [, a, b] = oklab(image.data[i * c]!, image.data[i * c + 1]!, image.data[i * c + 2]!);
    chromaSum += w * Math.hypot(a, b);
    weightSum += w;
  }
  const meanChroma = weightSum ? chromaSum / weightSum : 0;

  const out = Buffer.from(image.data);
  for (let i = 0; i < n; i++) {
    if (i % SLICE_PIXELS === SLICE_PIXELS - 1) await nextTurn();
    const w = m.data[i]! / 255;
    if (!w) continue;
    const p = i * c;
    const [L, a, b] = oklab(image.data[p]!, image.data[p + 1]!, image.data[p + 2]!);
    // A near-grey region has no saturation pattern worth keeping, so it gets the target's chroma.
    const relative = meanChroma > 0.02 ? Math.min(2, Math.hypot(a, b) / meanChroma) : 1;
    const rgb = fitChroma(L, targetHue, targetChroma * relative);
    for (let k = 0; k < 3; k++) out[p + k] = Math.round(image.data[p + k]! * (1 - w) + rgb[k]! * w);
  }
  return { ...image, data: out };
}
