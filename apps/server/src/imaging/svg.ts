import { unsafeSvg } from './image-errors.ts';

const ALLOWED_REF = /^(?:#|data:image\/(?:png|jpeg|gif|webp);)/i;

const FORBIDDEN_ELEMENTS: ReadonlyArray<[RegExp, string]> = [
  [/<!ENTITY/i, 'entity declarations are not allowed'],
  [/<!DOCTYPE[^>]*\[/i, 'an internal DTD subset is not allowed'],
  [/<\?xml-stylesheet/i, 'external stylesheets are not allowed'],
  [/<(?:[\w-]+:)?script[\s/>]/i, 'scripts are not allowed'],
  [/<(?:[\w-]+:)?foreignObject[\s/>]/i, 'foreignObject is not allowed'],
  [
    /<(?:[\w-]+:)?(?:iframe|embed|object|audio|video|handler|listener)[\s/>]/i,
    'embedded content is not allowed',
  ],
  [/<[^>]*\son[a-z]+\s*=/i, 'event handler attributes are not allowed'],
  [/@import/i, 'CSS imports are not allowed'],
];

/**
 * Refuses any SVG that could run code, reach outside itself or expand exponentially. Refusing
 * (rather than silently stripping) makes the outcome visible to the user; the rasterizer is a second
 * fence, since sharp gives librsvg a buffer with no base URL to resolve relative files against.
 * Returns the document without its doctype, which carries nothing a rasterizer needs.
 */
export function assertSafeSvg(text: string): string {
  for (const [pattern, reason] of FORBIDDEN_ELEMENTS) {
    if (pattern.test(text)) throw unsafeSvg(reason);
  }
  assertNoExternalRefs(text);
  // What the XML parser and then the CSS parser will read: `&#117;rl(` and `u\72l(` both say url(.
  const decoded = decodeCssEscapes(decodeCharRefs(text));
  if (decoded !== text) assertNoExternalRefs(decoded);
  return text.replace(/<!DOCTYPE[^>]*>/i, '');
}

function assertNoExternalRefs(text: string): void {
  for (const m of text.matchAll(/\s(?:[\w-]+:)?href\s*=\s*(["'])([\s\S]*?)\1/gi)) {
    if (!ALLOWED_REF.test((m[2] ?? '').trim())) throw unsafeSvg('external references are not allowed');
  }
  for (const m of text.matchAll(/url\(\s*(["']?)([^)"']*)\1\s*\)/gi)) {
    if (!ALLOWED_REF.test((m[2] ?? '').trim())) throw unsafeSvg('external references are not allowed');
  }
}

const fromCodePoint = (code: number) =>
  code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';

/** XML numeric character references (`&#117;`, `&#x75;`). */
function decodeCharRefs(text: string): string {
  return text.replace(/&#(x[0-9a-f]+|\d+);?/gi, (_, n: string) =>
    fromCodePoint(n[0] === 'x' || n[0] === 'X' ? Number.parseInt(n.slice(1), 16) : Number.parseInt(n, 10)),
  );
}

/** CSS escapes: a backslash and up to six hex digits (and one optional space), or any other character. */
function decodeCssEscapes(text: string): string {
  return text.replace(/\\(?:([0-9a-f]{1,6})\s?|([^\n0-9a-f]))/gi, (_, hex?: string, other?: string) =>
    hex ? fromCodePoint(Number.parseInt(hex, 16)) : (other ?? ''),
  );
}
