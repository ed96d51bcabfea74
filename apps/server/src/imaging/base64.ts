import { fileTooLarge, invalidBase64 } from './image-errors.ts';

export interface DecodedBase64 {
  bytes: Buffer;
  /** The MIME type a data URL declared; informational only, the bytes decide the type. */
  declaredMime?: string;
}

const DATA_URL = /^data:([a-z0-9.+/-]*)((?:;[a-z0-9-]+=[^;,]*)*);base64,/i;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict base64 / data-URL decoding. Node's own decoder silently skips invalid characters, which
 * would turn garbage into a "truncated image" later; this refuses it up front. The size limit is
 * checked on the encoded length so an oversized payload is never materialised.
 */
export function decodeBase64Image(input: string, maxBytes: number): DecodedBase64 {
  let body = input;
  let declaredMime: string | undefined;
  if (body.startsWith('data:')) {
    // A data URL's header is short; reading only its start keeps a 70 MB run of `;a=` from costing seconds.
    const m = DATA_URL.exec(body.slice(0, 512));
    if (!m) throw invalidBase64('Malformed data URL: expected data:<type>;base64,<data>.');
    declaredMime = m[1] ? m[1].toLowerCase() : undefined;
    body = body.slice(m[0].length);
  }
  body = body.replace(/[\r\n\t ]+/g, '');
  if (body.length === 0) throw invalidBase64('The image data is empty.');
  const estimated = Math.floor((body.length * 3) / 4);
  if (estimated > maxBytes + 2) throw fileTooLarge(estimated, maxBytes);
  if (body.length % 4 !== 0 || !BASE64_BODY.test(body)) {
    throw invalidBase64('The image data is not valid base64.');
  }
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length > maxBytes) throw fileTooLarge(bytes.length, maxBytes);
  return declaredMime === undefined ? { bytes } : { bytes, declaredMime };
}
