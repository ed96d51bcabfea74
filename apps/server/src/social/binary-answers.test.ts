import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { unzip } from '../../../../test/support/unzip.ts';
import { sceneWithSubject } from '../imaging/test-images.ts';

interface Result {
  format_id: string;
  width: number;
  height: number;
  image_base64?: string;
  file_size: number;
  file_url: string;
  asset_id: number;
}

interface Answer {
  results: Result[];
  export_id: string;
  zip_url: string;
}

const fromDataUrl = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');

/**
 * Binary answers: the original's clients get data URLs; a client that asks gets the same files as
 * bytes — `include_base64: false` (asset URLs) or `?download=zip` — without base64 in between.
 */
describe('social optimize: binary answers carry the same bytes as base64', () => {
  let t: TestApp;
  let token: string;
  let photo: Buffer;
  const body = () => ({
    platforms: ['instagram', 'youtube', 'bluesky'],
    all_formats: true,
    output_format: 'jpg',
    quality: 80,
  });

  beforeAll(async () => {
    t = await startTestApp();
    token = (await setupAdmin(t.app)).token;
    photo = await sceneWithSubject(1600, 1200, { left: 1100, top: 150, width: 200, height: 240 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const optimize = (payload: object, url = '/api/image-studio/social/optimize') =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload });
  const assetCount = async () =>
    (await t.app.inject({ url: '/api/content-assets?limit=1', headers: bearer(token) })).json<{
      total: number;
    }>().total;
  const blobFiles = () =>
    readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter(
      (d) => d.isFile() && !d.name.startsWith('studio.db'),
    ).length;

  it('asset URLs and the ZIP stream hold the base64 answer’s files byte for byte', async () => {
    const inline = await optimize({ ...body(), image_base64: photo.toString('base64') });
    expect(inline.statusCode, inline.body.slice(0, 300)).toBe(200);
    const base = inline.json<Answer>().results;
    expect(base.length).toBeGreaterThanOrEqual(6);

    // The same request as a multipart upload, asking for no base64: URLs to the saved files.
    const boundary = '----binary';
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const b = body();
    const multipart = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          field('platforms', b.platforms.join(',')) +
            field('all_formats', 'true') +
            field('output_format', b.output_format) +
            field('quality', String(b.quality)) +
            field('include_base64', 'false'),
        ),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        photo,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(multipart.statusCode, multipart.body.slice(0, 300)).toBe(200);
    const lean = multipart.json<Answer>();
    expect(lean.results.map((r) => r.format_id)).toEqual(base.map((r) => r.format_id));
    // The lean answer is a small fraction of the inline one.
    expect(multipart.rawPayload.length * 10).toBeLessThan(inline.rawPayload.length);

    const inlineBytes = new Map<string, Buffer>();
    for (const [i, r] of base.entries()) {
      const l = lean.results[i]!;
      expect(l.image_base64).toBeUndefined();
      const bytes = fromDataUrl(r.image_base64!);
      inlineBytes.set(r.format_id, bytes);
      expect(bytes.length).toBe(r.file_size);
      const file = await t.app.inject({ url: l.file_url, headers: bearer(token) });
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.length).toBe(l.file_size);
      expect(file.rawPayload.equals(bytes), r.format_id).toBe(true);
      const meta = await sharp(file.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', r.width, r.height]);
    }

    // The ZIP of the lean answer's export, and a ZIP streamed as the answer itself.
    const exported = await t.app.inject({ url: lean.zip_url, headers: bearer(token) });
    const streamed = await optimize(
      { ...body(), image_base64: photo.toString('base64') },
      '/api/image-studio/social/optimize?download=zip',
    );
    for (const zip of [exported, streamed]) {
      expect(zip.statusCode).toBe(200);
      expect(zip.headers['content-type']).toBe('application/zip');
      expect(zip.headers['x-missing-files']).toBe('');
      const entries = [...unzip(zip.rawPayload).values()];
      expect(entries).toHaveLength(base.length);
      const sorted = (xs: Buffer[]) => xs.map((x) => x.toString('base64')).sort();
      expect(sorted(entries)).toEqual(sorted([...inlineBytes.values()]));
    }
  });

  it('bad requests for a binary answer are 4xx and save nothing', async () => {
    const assets = await assetCount();
    const blobs = blobFiles();
    const cases: Array<[object, string, number, RegExp]> = [
      [
        { ...body(), image_base64: photo.toString('base64') },
        '/api/image-studio/social/optimize?download=tar',
        400,
        /download/,
      ],
      [
        { ...body(), image_base64: Buffer.from('not an image at all').toString('base64') },
        '/api/image-studio/social/optimize?download=zip',
        415,
        /Unsupported file type/,
      ],
      [
        { ...body(), image_base64: photo.toString('base64'), include_base64: 'no' },
        '/api/image-studio/social/optimize',
        400,
        /include_base64/,
      ],
      [
        { ...body(), include_base64: false },
        '/api/image-studio/social/optimize?download=zip',
        400,
        /Send exactly one image/,
      ],
      [
        { ...body(), asset_id: 999_999, include_base64: false },
        '/api/image-studio/social/optimize?download=zip',
        404,
        /Asset not found/,
      ],
    ];
    for (const [payload, url, status, message] of cases) {
      const res = await optimize(payload, url);
      expect(res.statusCode, `${url} ${res.body.slice(0, 200)}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const error = res.json<{ error: { code: string; message: string } }>().error;
      expect(error.code).toMatch(/^[a-z_]+$/);
      expect(error.message).toMatch(message);
    }
    expect(await assetCount()).toBe(assets);
    expect(blobFiles()).toBe(blobs);
  });
});
