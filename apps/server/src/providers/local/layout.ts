import { createHash } from 'node:crypto';
import { parseHex, type Rgb, readableText, toHex } from './color.ts';
import { DEFAULT_STYLE, LAYOUT_STYLES, type LayoutStyle } from './styles.ts';

/** The element tree satori renders (its React-like node shape, built without React). */
export interface LayoutNode {
  type: 'div';
  props: { style: Record<string, string | number>; children?: LayoutNode[] | string };
}

export interface LayoutInput {
  width: number;
  height: number;
  prompt: string;
  headline?: string;
  stylePreset?: string;
  brandColors?: readonly string[];
  seed?: number;
}

/** WCAG AA for large text is 3:1; below 4.5:1 a translucent panel goes behind the text. */
const PANEL_BELOW = 4.5;

const div = (style: LayoutNode['props']['style'], children?: LayoutNode[] | string): LayoutNode => ({
  type: 'div',
  props: { style: { display: 'flex', ...style }, ...(children === undefined ? {} : { children }) },
});

/** Headline = the first sentence (or the explicit headline), subline = the rest, both trimmed at words. */
export function splitCopy(prompt: string, headline?: string): { headline: string; subline?: string } {
  const clean = prompt.replace(/\s+/g, ' ').trim();
  const clip = (text: string, max: number) =>
    text.length <= max ? text : `${text.slice(0, max).replace(/\s+\S*$/, '')}…`;
  if (headline?.trim())
    return { headline: clip(headline.trim(), 90), subline: clean ? clip(clean, 140) : undefined };
  const m = /^(.+?[.!?])\s+(.+)$/.exec(clean);
  const head = m ? m[1]! : clean;
  const rest = m ? m[2] : undefined;
  return { headline: clip(head || 'Untitled', 90), subline: rest ? clip(rest, 140) : undefined };
}

/** Largest font size (px) at which `text` fits `lines × width` of the box, by average glyph width. */
export function fitFontSize(text: string, boxWidth: number, boxHeight: number, start: number): number {
  let size = start;
  while (size > 12) {
    const perLine = Math.max(1, Math.floor(boxWidth / (size * 0.56)));
    const longestWord = Math.max(...text.split(' ').map((w) => w.length));
    const lines = Math.ceil(text.length / perLine);
    if (longestWord <= perLine && lines * size * 1.15 <= boxHeight) return Math.floor(size);
    size *= 0.92;
  }
  return 12;
}

const hashBytes = (text: string) => createHash('sha256').update(text).digest();

export function resolveStyle(stylePreset?: string): LayoutStyle {
  return (stylePreset && LAYOUT_STYLES[stylePreset]) || DEFAULT_STYLE;
}

/** Builds the design: gradient background in brand (or style) colours, shapes, accent bar, headline. */
export function buildLayout(input: LayoutInput, fontFamily: string): { tree: LayoutNode; textColor: Rgb } {
  const { width: w, height: h } = input;
  const style = resolveStyle(input.stylePreset);
  const brand = (input.brandColors ?? []).map(parseHex).filter((c): c is Rgb => c !== undefined);
  const palette = style.palette.map((c) => parseHex(c)!);
  const [c1, c2, c3] = [
    brand[0] ?? palette[0]!,
    brand[1] ?? brand[0] ?? palette[1]!,
    brand[2] ?? palette[2]!,
  ];
  const text = readableText([c1, c2]);
  const panel = text.contrast < PANEL_BELOW;
  const textColor = panel ? ([255, 255, 255] as const) : text.color;
  const copy = splitCopy(input.prompt, input.headline);
  const headline = style.uppercase ? copy.headline.toUpperCase() : copy.headline;
  const short = Math.min(w, h);
  const pad = Math.round(short * 0.08);
  const boxW = w - pad * 2 - (panel ? pad : 0);
  const headSize = fitFontSize(headline, boxW, h * (copy.subline ? 0.45 : 0.6), short * 0.14);
  const subSize = Math.max(
    10,
    Math.min(Math.round(headSize * 0.42), fitFontSize(copy.subline ?? '', boxW, h * 0.2, short * 0.05)),
  );
  const rnd = hashBytes(`${input.prompt}|${input.seed ?? 0}`);

  const shapes: LayoutNode[] = [];
  if (style.shapes === 'circles') {
    for (let i = 0; i < 3; i++) {
      const d = Math.round(short * (0.35 + (rnd[i]! / 255) * 0.5));
      shapes.push(
        div({
          position: 'absolute',
          left: Math.round((rnd[i + 3]! / 255) * w - d / 2),
          top: Math.round((rnd[i + 6]! / 255) * h - d / 2),
          width: d,
          height: d,
          borderRadius: d,
          backgroundColor: i === 0 ? toHex(c3) : '#ffffff',
          opacity: i === 0 ? 0.25 : 0.1,
        }),
      );
    }
  } else if (style.shapes === 'bands') {
    const band = Math.round(h * 0.06);
    shapes.push(
      div({
        position: 'absolute',
        left: 0,
        top: band,
        width: w,
        height: band,
        backgroundColor: toHex(c3),
        opacity: 0.3,
      }),
    );
    shapes.push(
      div({
        position: 'absolute',
        left: 0,
        bottom: band,
        width: w,
        height: band,
        backgroundColor: toHex(c3),
        opacity: 0.3,
      }),
    );
  }

  const content: LayoutNode[] = [
    div({
      width: Math.round(w * 0.12),
      height: Math.max(4, Math.round(short * 0.012)),
      backgroundColor: toHex(c3),
      marginBottom: Math.round(pad / 2),
    }),
    div(
      {
        fontFamily,
        fontWeight: style.weight,
        fontSize: headSize,
        lineHeight: 1.1,
        color: toHex(textColor),
        flexWrap: 'wrap',
      },
      headline,
    ),
  ];
  if (copy.subline) {
    content.push(
      div(
        {
          fontFamily,
          fontWeight: 400,
          fontSize: subSize,
          lineHeight: 1.3,
          color: toHex(textColor),
          opacity: 0.9,
          marginTop: Math.round(pad / 3),
        },
        copy.subline,
      ),
    );
  }
  const tree = div(
    {
      width: w,
      height: h,
      position: 'relative',
      alignItems: 'center',
      justifyContent: 'center',
      backgroundImage: `linear-gradient(${style.angle}deg, ${toHex(c1)}, ${toHex(c2)})`,
    },
    [
      ...shapes,
      div(
        {
          flexDirection: 'column',
          width: w - pad * 2,
          padding: panel ? Math.round(pad / 2) : 0,
          backgroundColor: panel ? 'rgba(0,0,0,0.55)' : 'transparent',
          borderRadius: panel ? Math.round(pad / 4) : 0,
        },
        content,
      ),
    ],
  );
  return { tree, textColor };
}
