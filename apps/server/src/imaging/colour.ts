/** Colours as CIELAB, where a distance means about the same difference to the eye anywhere in the space. */
export interface Lab {
  l: number;
  a: number;
  b: number;
}

export interface PaletteColour {
  hex: string;
  /** Share of the picture's pixels nearest this colour, 0–1. */
  share: number;
  lab: Lab;
}

const linear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);

/** sRGB (0–255) to CIELAB under D65. */
export function rgbToLab(r: number, g: number, b: number): Lab {
  const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
  const x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047;
  const y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  const z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883;
  return { l: 116 * f(y) - 16, a: 500 * (f(x) - f(y)), b: 200 * (f(y) - f(z)) };
}

export const deltaE = (p: Lab, q: Lab) => Math.hypot(p.l - q.l, p.a - q.a, p.b - q.b);

export function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace(/^#/, ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A colour filter: images with a dominant colour within `tolerance` (ΔE) of `lab`. */
export interface ColourFilter {
  lab: Lab;
  tolerance: number;
}

/** ΔE 20 keeps "this blue" apart from purple and teal while forgiving shading and compression. */
export const DEFAULT_COLOUR_TOLERANCE = 20;

export const colourFilter = (hex: string, tolerance = DEFAULT_COLOUR_TOLERANCE): ColourFilter => ({
  lab: rgbToLab(...parseHex(hex)),
  tolerance,
});

const toHex = (r: number, g: number, b: number) =>
  `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** Colours closer than this (ΔE) count as one swatch. */
const DISTINCT = 14;
const MAX_COLOURS = 5;
/** A colour covering less of the picture than this is a detail, not part of its palette. */
const MIN_SHARE = 0.03;

/**
 * A small dominant palette from RGB pixels: the most populated cells of a 16-level-per-channel grid,
 * skipping cells within DISTINCT of one already taken, then each pixel counted to its nearest swatch.
 */
export function dominantPalette(rgb: Buffer): PaletteColour[] {
  const count = new Uint32Array(4096);
  const sums = new Float64Array(4096 * 3);
  const pixels = Math.floor(rgb.length / 3);
  for (let i = 0; i < pixels; i++) {
    const r = rgb[i * 3] ?? 0;
    const g = rgb[i * 3 + 1] ?? 0;
    const b = rgb[i * 3 + 2] ?? 0;
    const cell = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    count[cell] = (count[cell] ?? 0) + 1;
    sums[cell * 3] = (sums[cell * 3] ?? 0) + r;
    sums[cell * 3 + 1] = (sums[cell * 3 + 1] ?? 0) + g;
    sums[cell * 3 + 2] = (sums[cell * 3 + 2] ?? 0) + b;
  }
  const cells = [...count.keys()]
    .filter((c) => (count[c] ?? 0) > 0)
    .sort((x, y) => (count[y] ?? 0) - (count[x] ?? 0));
  const chosen: Array<{ rgb: [number, number, number]; lab: Lab }> = [];
  for (const cell of cells) {
    const n = count[cell] ?? 1;
    const mean: [number, number, number] = [
      (sums[cell * 3] ?? 0) / n,
      (sums[cell * 3 + 1] ?? 0) / n,
      (sums[cell * 3 + 2] ?? 0) / n,
    ];
    const lab = rgbToLab(...mean);
    if (chosen.every((c) => deltaE(c.lab, lab) >= DISTINCT)) chosen.push({ rgb: mean, lab });
    if (chosen.length === MAX_COLOURS) break;
  }
  const nearest = new Uint32Array(chosen.length);
  for (const cell of cells) {
    const n = count[cell] ?? 0;
    const lab = rgbToLab(
      (sums[cell * 3] ?? 0) / n,
      (sums[cell * 3 + 1] ?? 0) / n,
      (sums[cell * 3 + 2] ?? 0) / n,
    );
    let best = 0;
    for (let i = 1; i < chosen.length; i++) {
      if (deltaE(chosen[i]?.lab ?? lab, lab) < deltaE(chosen[best]?.lab ?? lab, lab)) best = i;
    }
    nearest[best] = (nearest[best] ?? 0) + n;
  }
  return chosen
    .map((c, i) => ({ hex: toHex(...c.rgb), share: (nearest[i] ?? 0) / Math.max(1, pixels), lab: c.lab }))
    .filter((c) => c.share >= MIN_SHARE)
    .sort((x, y) => y.share - x.share);
}
