import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { manyFrameGif } from '../../../../test/hostile/fixtures.ts';
import { AppError } from '../errors.ts';
import { decodeBase64Image } from './base64.ts';
import { ingestBase64, ingestBytes } from './ingest.ts';
import { seededRandom } from './local/testing/synthetic-images.ts';
import { noise, pngHeaderOnly } from './test-images.ts';

const limits = { maxUploadBytes: 2 * 1024 * 1024, maxInputPixels: 50_000_000 };

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('ingest: accepted types', () => {
  const cases = ['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const;
  for (const format of cases) {
    it(`accepts ${format} and reports its size`, async () => {
      const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#36c' } })
        .toFormat(format)
        .toBuffer();
      const img = await ingestBytes(bytes, { limits });
      expect(img.format).toBe(format);
      expect([img.width, img.height]).toEqual([40, 30]);
      const raw = await img.decodeRaw();
      expect(raw.data.length).toBe(40 * 30 * raw.channels);
    });
  }

  it('applies EXIF orientation (6 = rotate 90°) to reported and decoded sizes', async () => {
    const bytes = await sharp({ create: { width: 60, height: 20, channels: 3, background: '#fff' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const img = await ingestBytes(bytes, { limits });
    expect([img.width, img.height]).toEqual([20, 60]);
    const raw = await img.decodeRaw();
    expect([raw.width, raw.height]).toEqual([20, 60]);
  });

  it('converts CMYK to 3-channel sRGB and strips metadata unless asked to keep it', async () => {
    const bytes = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c33' } })
      .withExif({ IFD0: { Copyright: 'someone' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const img = await ingestBytes(bytes, { limits });
    expect((await img.decodeRaw()).channels).toBe(3);
    const stripped = await sharp(await img.sharp().jpeg().toBuffer()).metadata();
    expect(stripped.exif).toBeUndefined();
    expect(stripped.space).toBe('srgb');
    const kept = await ingestBytes(bytes, { limits, keepMetadata: true });
    expect((await sharp(await kept.sharp().jpeg().toBuffer()).metadata()).exif).toBeDefined();
  });

  it('keeps alpha and decodes GIF first frame', async () => {
    const bytes = await sharp({ create: { width: 10, height: 10, channels: 4, background: '#0000' } })
      .gif()
      .toBuffer();
    const img = await ingestBytes(bytes, { limits });
    expect(img.hasAlpha).toBe(true);
    expect((await img.decodeRaw()).channels).toBe(4);
  });

  it('decodes at a reduced scale in one pass', async () => {
    const img = await ingestBytes(await noise(400, 300, 'jpeg'), { limits });
    const raw = await img.decodeRaw(0.25);
    expect([raw.width, raw.height, raw.scale]).toEqual([100, 75, 0.25]);
  });

  it('rasterizes a safe SVG, enlarging small drawings', async () => {
    const svg =
      '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><rect width="64" height="32" fill="#f00"/><use href="#x"/></svg>';
    const img = await ingestBytes(Buffer.from(svg), { limits });
    expect(img.format).toBe('svg');
    expect([img.width, img.height]).toEqual([1024, 512]);
    expect((await sharp(img.bytes).metadata()).format).toBe('png');
  });
});

describe('ingest: rejections', () => {
  it('zero bytes → 400 invalid_image', async () => {
    const e = await rejection(ingestBytes(Buffer.alloc(0), { limits }));
    expect([e.status, e.code]).toEqual([400, 'invalid_image']);
  });

  for (const format of ['jpeg', 'png'] as const) {
    it(`truncated ${format} → 400 invalid_image`, async () => {
      const full = await noise(300, 200, format);
      const e = await rejection(ingestBytes(full.subarray(0, Math.floor(full.length / 2)), { limits }));
      expect([e.status, e.code]).toEqual([400, 'invalid_image']);
    });
  }

  it('truncated JPEG is also caught by decodeRaw when verification is skipped', async () => {
    const full = await noise(300, 200, 'jpeg');
    const img = await ingestBytes(full.subarray(0, Math.floor(full.length / 2)), { limits, verify: false });
    const e = await rejection(img.decodeRaw(0.5));
    expect([e.status, e.code]).toEqual([400, 'invalid_image']);
  });

  it('a corrupt header → 400 invalid_image', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    const e = await rejection(ingestBytes(bytes, { limits }));
    expect([e.status, e.code]).toEqual([400, 'invalid_image']);
  });

  const foreign: Array<[string, Buffer]> = [
    ['PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')],
    ['Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)])],
    ['ISO media (heic)', Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1')],
    ['unknown', Buffer.from('just some text, not an image')],
  ];
  for (const [name, bytes] of foreign) {
    it(`${name} → 415 unsupported_media_type naming it`, async () => {
      const e = await rejection(ingestBytes(bytes, { limits }));
      expect([e.status, e.code]).toEqual([415, 'unsupported_media_type']);
      expect(e.details).toEqual({ detected: name });
    });
  }

  it('pixel bomb (PNG header declaring 100000×100000) → 413 before decoding', async () => {
    const bomb = pngHeaderOnly(100_000, 100_000);
    expect(bomb.length).toBeLessThan(100);
    const e = await rejection(ingestBytes(bomb, { limits }));
    expect([e.status, e.code]).toEqual([413, 'too_many_pixels']);
  });

  it('file over the byte limit → 413 payload_too_large', async () => {
    const e = await rejection(
      ingestBytes(await noise(300, 200, 'png'), { limits: { ...limits, maxUploadBytes: 1000 } }),
    );
    expect([e.status, e.code]).toEqual([413, 'payload_too_large']);
  });

  const hostile: Array<[string, string]> = [
    [
      'script',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9" height="9"/></svg>',
    ],
    [
      'event handler',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
    ],
    [
      'external href',
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://169.254.169.254/latest" width="9" height="9"/></svg>',
    ],
    [
      'file href',
      '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd" width="9" height="9"/></svg>',
    ],
    [
      'external url()',
      '<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" style="fill:url(https://evil.test/x.svg#p)"/></svg>',
    ],
    [
      'foreignObject',
      '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9"><p>x</p></foreignObject></svg>',
    ],
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>`,
    ],
  ];
  for (const [name, svg] of hostile) {
    it(`hostile SVG (${name}) → 400 unsafe_svg`, async () => {
      const e = await rejection(ingestBytes(Buffer.from(svg), { limits }));
      expect([e.status, e.code]).toEqual([400, 'unsafe_svg']);
    });
  }

  const escapedUrls: Array<[string, string]> = [
    ['CSS hex escape', '<style>rect{fill:u\\72l(http://evil.test/p#p)}</style>'],
    ['CSS escape with a space', '<rect style="fill:\\75 rl(https://evil.test/p#p)"/>'],
    ['character reference', '<rect style="fill:&#117;rl(https://evil.test/p#p)"/>'],
  ];
  for (const [name, body] of escapedUrls) {
    it(`SVG url( spelled with a ${name} → 400 unsafe_svg`, async () => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">${body}<rect width="9" height="9"/></svg>`;
      const e = await rejection(ingestBytes(Buffer.from(svg), { limits }));
      expect([e.status, e.code]).toEqual([400, 'unsafe_svg']);
    });
  }

  it('an escaped url(#local) reference is still allowed', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><defs><linearGradient id="g"/></defs>' +
      '<rect width="9" height="9" style="fill:u\\72l(#g)"/></svg>';
    expect((await ingestBytes(Buffer.from(svg), { limits })).format).toBe('svg');
  });

  for (const format of ['png', 'webp'] as const) {
    it(`bytes after the end of a ${format} (a polyglot) → 400 invalid_image naming them`, async () => {
      const image = await noise(30, 20, format);
      const e = await rejection(
        ingestBytes(Buffer.concat([image, Buffer.from('<html>hi</html>')]), { limits }),
      );
      expect([e.status, e.code, e.details]).toEqual([400, 'invalid_image', { trailing_bytes: 15 }]);
    });
  }

  it('an animation is counted by all its frames → 413 too_many_pixels', async () => {
    const gif = manyFrameGif(1000, 256);
    expect((await sharp(gif).metadata()).pages).toBe(1000);
    const e = await rejection(ingestBytes(gif, { limits }));
    expect([e.status, e.code]).toEqual([413, 'too_many_pixels']);
    expect(e.details).toMatchObject({ width: 256, height: 256, frames: 1000 });
    // The same screen with a few frames is an ordinary GIF.
    expect((await ingestBytes(manyFrameGif(3, 256), { limits })).format).toBe('gif');
  });

  it('SVG declaring a huge canvas → 413', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="9" height="9"/></svg>';
    const e = await rejection(ingestBytes(Buffer.from(svg), { limits }));
    expect([e.status, e.code]).toEqual([413, 'too_many_pixels']);
  });
});

describe('base64 decoding', () => {
  it('accepts raw base64 and data URLs', async () => {
    const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const b64 = png.toString('base64');
    expect(decodeBase64Image(b64, 1e6).bytes.equals(png)).toBe(true);
    const fromUrl = decodeBase64Image(`data:image/png;base64,${b64}`, 1e6);
    expect(fromUrl.declaredMime).toBe('image/png');
    const img = await ingestBase64(`data:image/jpeg;base64,${b64}`, { limits });
    expect(img.format).toBe('png');
  });

  for (const bad of ['not base64!!', 'abc', 'data:image/png;base64', 'data:image/png,abcd', '', 'QUJD=A==']) {
    it(`rejects ${JSON.stringify(bad)} with 400 invalid_base64`, () => {
      let err: unknown;
      try {
        decodeBase64Image(bad, 1e6);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect([(err as AppError).status, (err as AppError).code]).toEqual([400, 'invalid_base64']);
    });
  }

  it('accepts exactly the strict base64 alphabet (line breaks aside), whatever the characters', () => {
    const random = seededRandom(19);
    const pick = (chars: string) => chars[Math.floor(random() * chars.length)] ?? 'A';
    const valid = /^[A-Za-z0-9+/]*={0,2}$/;
    const strict = (s: string) => {
      const body = s.replace(/[\r\n\t ]+/g, '');
      return body.length > 0 && body.length % 4 === 0 && valid.test(body) ? body : undefined;
    };
    const cases: string[] = [];
    for (let i = 0; i < 400; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 40) }, () => random() * 256));
      const chars = [...bytes.toString('base64')];
      // One change to a valid body: a character outside the alphabet, a padding sign, or a line break.
      const at = Math.floor(random() * (chars.length + 1));
      chars.splice(at, random() < 0.5 ? 1 : 0, pick('=-_!.\u00e9\n\r\t A+/'));
      cases.push(chars.join(''), bytes.toString('base64'));
    }
    const outcome = (text: string) => {
      try {
        return decodeBase64Image(text, 1e6).bytes;
      } catch (e) {
        if (e instanceof AppError) return e.code;
        throw e;
      }
    };
    let accepted = 0;
    for (const text of cases) {
      const body = strict(text);
      if (body === undefined) {
        expect(outcome(text), text).toBe('invalid_base64');
      } else {
        accepted++;
        expect(outcome(text), text).toEqual(Buffer.from(body, 'base64'));
      }
    }
    expect(accepted).toBeGreaterThan(400);
    expect(accepted).toBeLessThan(cases.length);
  });

  it('rejects an oversized payload with 413 before decoding it', () => {
    let err: unknown;
    try {
      decodeBase64Image('A'.repeat(4000), 1000);
    } catch (e) {
      err = e;
    }
    expect((err as AppError).status).toBe(413);
  });
});
