/** sRGB colour helpers for picking readable text over generated backgrounds (WCAG 2 formulas). */
export type Rgb = readonly [number, number, number];

export function parseHex(value: string): Rgb | undefined {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!m) return undefined;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}

export const toHex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

export function luminance(c: Rgb): number {
  const lin = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const WHITE: Rgb = [255, 255, 255];
export const INK: Rgb = [17, 17, 17];

/** The text colour with the best worst-case contrast over every background colour, and that contrast. */
export function readableText(backgrounds: readonly Rgb[]): { color: Rgb; contrast: number } {
  const score = (c: Rgb) => Math.min(...backgrounds.map((b) => contrast(c, b)));
  const white = score(WHITE);
  const ink = score(INK);
  return white >= ink ? { color: WHITE, contrast: white } : { color: INK, contrast: ink };
}
