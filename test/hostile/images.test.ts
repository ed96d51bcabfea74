import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { noise } from '../../apps/server/src/imaging/test-images.ts';
import { hasPostgres, hasS3 } from '../support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  cmykJpeg,
  type HostileImage,
  hostileImages,
  manyFrameGif,
  orientedJpeg,
  sixteenBitPng,
} from './fixtures.ts';
import {
  type ErrorAnswer,
  errorOf,
  expectAlive,
  footprint,
  multipart,
  ownTempDir,
  routesOf,
} from './harness.ts';
import { IMAGE_SLOTS, type ImageSlot, takesImages } from './image-routes.ts';

/** A batch route answers 200 and names each item's failure. */
const BatchAnswer = z.object({
  results: z.array(z.object({ error: z.object({ code: z.string(), message: z.string() }).optional() })),
});

/** Small limits so oversize inputs stay cheap to build; pixel limit as shipped. */
const ENV = { MAX_UPLOAD_MB: '1', RATE_LIMIT_PER_MINUTE: '100000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' };

const fixtures = await hostileImages();
const valid = (await noise(48, 32, 'png')).toString('base64');

// PostgreSQL runs with S3 storage, so both blob stores are counted too.
describe.each([
  ['sqlite', 'fs', true],
  ['postgres', 's3', hasPostgres() && hasS3()],
] as const)('hostile images on %s with %s storage', (dialect, storage, available) => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeAll(async () => {
    if (!available) return;
    ownTempDir();
    t = await startTestApp({ dialect, storage, env: ENV });
    auth = bearer((await setupAdmin(t.app)).token);
  });
  afterAll(async () => t?.close());

  /** Sends, then checks that nothing was stored, charged or left behind; returns the refusal. */
  async function refused(send: () => Promise<{ statusCode: number; body: string }>): Promise<ErrorAnswer> {
    const before = await footprint(t);
    const res = await send();
    expect(await footprint(t)).toEqual(before);
    const batch = res.statusCode === 200 ? BatchAnswer.safeParse(JSON.parse(res.body)) : undefined;
    const item = batch?.success ? batch.data.results[0] : undefined;
    if (item?.error) return { status: 200, ...item.error };
    return errorOf(res);
  }

  const jsonSend = (slot: ImageSlot, image: string) => () =>
    t.app.inject({ method: slot.method, url: slot.url, headers: auth, payload: slot.json(image, valid) });

  const multipartSend =
    (slot: ImageSlot, f: Buffer, name = 'image.png') =>
    () => {
      const m = multipart(slot.multipart?.fields ?? {}, [
        { name: slot.multipart?.file ?? 'file', filename: name, bytes: f },
      ]);
      return t.app.inject({
        method: slot.method,
        url: slot.url,
        headers: { ...auth, ...m.headers },
        payload: m.payload,
      });
    };

  it.runIf(available)('every route that takes an image is in the hostile table, and only those', () => {
    const live = routesOf(t)
      .filter(takesImages)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const table = [...new Set(IMAGE_SLOTS.map((s) => `${s.method} ${s.url}`))].sort();
    expect(table).toEqual(live);
  });

  const label = (s: ImageSlot) => `${s.url} (${s.slot})`;

  /** Every mismatch at once, so one run lists every route that gets it wrong. */
  async function expectAllRefused(
    cases: Array<{
      slot: ImageSlot;
      send: () => Promise<{ statusCode: number; body: string }>;
      expected: HostileImage | { status: number; code: string };
    }>,
  ) {
    const wrong: Record<string, unknown> = {};
    for (const c of cases) {
      // A batch answers 200 and names the failure in the item (the original API's way).
      const status = c.slot.batch && c.expected.code !== 'validation_failed' ? 200 : c.expected.status;
      const expected = { status, code: c.expected.code };
      const got = await refused(c.send);
      if (got.status !== expected.status || got.code !== expected.code || got.message.length < 10) {
        wrong[label(c.slot)] = { expected, got };
      }
    }
    expect(wrong).toEqual({});
    await expectAlive(t);
  }

  for (const f of fixtures) {
    it.runIf(available)(
      `${f.name} as base64 JSON → ${f.status} ${f.code} on every image route, nothing kept`,
      async () => {
        // An empty string never reaches the decoder: the schema's minimum length refuses it first.
        const expected = f.bytes.length === 0 ? { status: 400, code: 'validation_failed' } : f;
        await expectAllRefused(
          IMAGE_SLOTS.map((slot) => ({
            slot,
            send: jsonSend(slot, f.bytes.toString('base64')),
            expected,
          })),
        );
      },
    );

    it.runIf(available)(`${f.name} as a multipart file → ${f.status} ${f.code}, nothing kept`, async () => {
      await expectAllRefused(
        IMAGE_SLOTS.filter((s) => s.multipart).map((slot) => ({
          slot,
          send: multipartSend(slot, f.bytes),
          expected: f,
        })),
      );
    });
  }

  it.runIf(available)('a data URL whose base64 is garbage → 400 invalid_base64', async () => {
    await expectAllRefused(
      IMAGE_SLOTS.map((slot) => ({
        slot,
        send: jsonSend(slot, 'data:image/png;base64,@@not*base64!!'),
        expected: { status: 400, code: 'invalid_base64' },
      })),
    );
  });

  it.runIf(available)('a data URL whose header runs for 600 KB → 400 invalid_base64', async () => {
    const header = `data:image/png${';a=b'.repeat(150_000)};base64,`;
    await expectAllRefused(
      IMAGE_SLOTS.map((slot) => ({
        slot,
        send: jsonSend(slot, `${header}${valid}`),
        expected: { status: 400, code: 'invalid_base64' },
      })),
    );
  });

  it.runIf(available)('base64 over the upload limit → 413 payload_too_large before decoding', async () => {
    const big = randomBytes(1.2 * 1024 * 1024).toString('base64');
    await expectAllRefused(
      IMAGE_SLOTS.map((slot) => ({
        slot,
        send: jsonSend(slot, big),
        expected: { status: 413, code: 'payload_too_large' },
      })),
    );
  });

  it.runIf(available)('a multipart file over the upload limit → 413 payload_too_large', async () => {
    const big = randomBytes(1.2 * 1024 * 1024);
    await expectAllRefused(
      IMAGE_SLOTS.filter((s) => s.multipart).map((slot) => ({
        slot,
        send: multipartSend(slot, big),
        expected: { status: 413, code: 'payload_too_large' },
      })),
    );
  });

  it.runIf(available)('a JSON body over the body limit → 413 payload_too_large', async () => {
    const huge = 'A'.repeat(8 * 1024 * 1024);
    await expectAllRefused(
      IMAGE_SLOTS.map((slot) => ({
        slot: { ...slot, batch: false },
        send: jsonSend(slot, huge),
        expected: { status: 413, code: 'payload_too_large' },
      })),
    );
  });

  it.runIf(available)('a multipart body cut short → 400 multipart_truncated', async () => {
    const png = Buffer.from(valid, 'base64');
    await expectAllRefused(
      IMAGE_SLOTS.filter((s) => s.multipart).map((slot) => ({
        slot,
        send: () => {
          const m = multipart(slot.multipart?.fields ?? {}, [
            { name: slot.multipart?.file ?? 'file', filename: 'a.png', bytes: png },
          ]);
          return t.app.inject({
            method: slot.method,
            url: slot.url,
            headers: { ...auth, ...m.headers },
            payload: m.payload.subarray(0, m.payload.length - 200),
          });
        },
        expected: { status: 400, code: 'multipart_truncated' },
      })),
    );
  });

  it.runIf(available)(
    'a multipart body without a file → 400 validation_failed naming the image',
    async () => {
      await expectAllRefused(
        IMAGE_SLOTS.filter((s) => s.multipart).map((slot) => ({
          slot,
          send: () => {
            const m = multipart(slot.multipart?.fields ?? {}, []);
            return t.app.inject({
              method: slot.method,
              url: slot.url,
              headers: { ...auth, ...m.headers },
              payload: m.payload,
            });
          },
          expected: { status: 400, code: 'validation_failed' },
        })),
      );
    },
  );

  it.runIf(available)('more file parts than allowed → 413 payload_too_large', async () => {
    const png = Buffer.from(valid, 'base64');
    await expectAllRefused(
      IMAGE_SLOTS.filter((s) => s.multipart).map((slot) => ({
        slot,
        send: () => {
          const files = Array.from({ length: (slot.maxFiles ?? 4) + 2 }, (_, i) => ({
            name: `extra${i}`,
            filename: `${i}.png`,
            bytes: png,
          }));
          const m = multipart(slot.multipart?.fields ?? {}, files);
          return t.app.inject({
            method: slot.method,
            url: slot.url,
            headers: { ...auth, ...m.headers },
            payload: m.payload,
          });
        },
        expected: { status: 413, code: 'payload_too_large' },
      })),
    );
  });

  describe('valid but unusual images are accepted and read right', () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      it.runIf(available)(
        `EXIF orientation ${orientation}: upload and convert report the turned size`,
        async () => {
          const jpeg = await orientedJpeg(orientation, 60, 40);
          const [w, h] = orientation >= 5 ? [40, 60] : [60, 40];
          const up = await t.app.inject({
            method: 'POST',
            url: '/api/content-assets/upload',
            headers: auth,
            payload: { image_base64: jpeg.toString('base64') },
          });
          expect(up.statusCode, up.body).toBeLessThan(300);
          expect([up.json().width, up.json().height]).toEqual([w, h]);

          const conv = await t.app.inject({
            method: 'POST',
            url: '/api/image-studio/convert-format',
            headers: auth,
            payload: { image_base64: jpeg.toString('base64'), target_format: 'png' },
          });
          expect(conv.statusCode, conv.body).toBe(200);
          const out = Buffer.from(conv.json().image_base64.replace(/^data:[^,]*,/, ''), 'base64');
          const meta = await sharp(out).metadata();
          expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([w, h, 1]);
          expect([conv.json().width, conv.json().height]).toEqual([w, h]);
        },
      );
    }

    it.runIf(available)(
      'a GIF declaring a 65535×65535 screen is read as the 1×1 frame it holds',
      async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/image-studio/convert-format',
          headers: auth,
          payload: { image_base64: manyFrameGif(1, 65_535).toString('base64'), target_format: 'png' },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect([res.json().width, res.json().height]).toEqual([1, 1]);
      },
    );

    const unusual: Array<[string, () => Promise<Buffer>]> = [
      ['CMYK JPEG', () => cmykJpeg(50, 30)],
      ['16-bit PNG', () => sixteenBitPng(50, 30)],
    ];
    for (const [name, make] of unusual) {
      it.runIf(available)(
        `${name}: upload, convert and compress give 8-bit sRGB of the same size`,
        async () => {
          const b64 = (await make()).toString('base64');
          const up = await t.app.inject({
            method: 'POST',
            url: '/api/content-assets/upload',
            headers: auth,
            payload: { image_base64: b64 },
          });
          expect(up.statusCode, up.body).toBeLessThan(300);
          expect([up.json().width, up.json().height]).toEqual([50, 30]);
          for (const [url, payload] of [
            ['/api/image-studio/convert-format', { image_base64: b64, target_format: 'png' }],
            ['/api/image-studio/compress', { image_base64: b64, format: 'jpeg' }],
          ] as const) {
            const res = await t.app.inject({ method: 'POST', url, headers: auth, payload });
            expect(res.statusCode, res.body).toBe(200);
            const out = Buffer.from(res.json().image_base64.replace(/^data:[^,]*,/, ''), 'base64');
            const meta = await sharp(out).metadata();
            expect([meta.width, meta.height, meta.space, meta.depth]).toEqual([50, 30, 'srgb', 'uchar']);
          }
        },
      );
    }
  });
});
