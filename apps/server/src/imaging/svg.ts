import { unsafeSvg } from './image-errors.ts';

const ALLOWED_REF = /^(?:#|data:image\/(?:png|jpeg|gif|webp);)/i;

/*
 * Only patterns that match in linear time: a literal start, then at most one run of word characters.
 * What a tag holds is checked one tag at a time (see `tags`), because a pattern like
 * `<[^>]*…` re-scans to the end of an unclosed document from every `<`: quadratic time on the event
 * loop, minutes for a megabyte of `<`.
 */
const FORBIDDEN_ELEMENTS: ReadonlyArray<[RegExp, string]> = [
  [/<!ENTITY/i, 'entity declarations are not allowed'],
  [/<\?xml-stylesheet/i, 'external stylesheets are not allowed'],
  [/<(?:[\w-]+:)?script[\s/>]/i, 'scripts are not allowed'],
  [/<(?:[\w-]+:)?foreignObject[\s/>]/i, 'foreignObject is not allowed'],
  [
    /<(?:[\w-]+:)?(?:iframe|embed|object|audio|video|handler|listener)[\s/>]/i,
    'embedded content is not allowed',
  ],
  [/@import/i, 'CSS imports are not allowed'],
];

/** Whether any doctype opens an internal subset (`[`) before it closes (`>`), in one pass. */
function hasInternalSubset(text: string): boolean {
  const next = (char: string, from: number) => {
    const at = text.indexOf(char, from);
    return at === -1 ? Number.POSITIVE_INFINITY : at;
  };
  let gt = -1;
  let bracket = -1;
  for (const m of text.matchAll(/<!DOCTYPE/gi)) {
    if (gt < m.index) gt = next('>', m.index);
    if (bracket < m.index) bracket = next('[', m.index);
    if (bracket < gt) return true;
  }
  return false;
}

/** Each tag, from a `<` to the next `>` (or the end), in one pass over the text. */
function* tags(text: string): Generator<string> {
  let at = text.indexOf('<');
  while (at !== -1) {
    const end = text.indexOf('>', at + 1);
    if (end === -1) {
      yield text.slice(at);
      return;
    }
    yield text.slice(at, end + 1);
    at = text.indexOf('<', end + 1);
  }
}

/** The document without its doctype (found without backtracking). */
function withoutDoctype(text: string): string {
  const start = /<!DOCTYPE/i.exec(text)?.index;
  if (start === undefined) return text;
  const end = text.indexOf('>', start);
  return end === -1 ? text : text.slice(0, start) + text.slice(end + 1);
}

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
  if (hasInternalSubset(text)) throw unsafeSvg('an internal DTD subset is not allowed');
  for (const tag of tags(text)) {
    if (/\son[a-z]+\s*=/i.test(tag)) throw unsafeSvg('event handler attributes are not allowed');
  }
  assertNoExternalRefs(text);
  // What the XML parser and then the CSS parser will read: `&#117;rl(` and `u\72l(` both say url(.
  const decoded = decodeCssEscapes(decodeCharRefs(text));
  if (decoded !== text) assertNoExternalRefs(decoded);
  return withoutDoctype(text);
}

function assertNoExternalRefs(text: string): void {
  for (const m of text.matchAll(/\s(?:[\w-]+:)?href\s*=\s*(["'])([\s\S]*?)\1/gi)) {
    if (!ALLOWED_REF.test((m[2] ?? '').trim())) throw unsafeSvg('external references are not allowed');
  }
  // The closing paren is looked up once per run of url( that share it, so many url( before one `)`
  // cost one scan, not one each.
  let close = -1;
  for (const m of text.matchAll(/url\(/gi)) {
    const from = m.index + 4;
    if (close < from) close = text.indexOf(')', from);
    if (close === -1) throw unsafeSvg('an unterminated url( is not allowed');
    const target = text
      .slice(from, close)
      .trim()
      .replace(/^(["'])([\s\S]*)\1$/, '$2');
    if (!ALLOWED_REF.test(target.trim())) throw unsafeSvg('external references are not allowed');
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
