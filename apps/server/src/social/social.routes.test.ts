import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookDifference } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { pngHeaderOnly, sceneWithSubject } from '../imaging/test-images.ts';

interface Caller {
  token: string;
  userId: number;
}

interface OptimizeBody {
  results: Array<{
    platform: string;
    format: string;
    width: number;
    height: number;
    image_base64?: string;
    asset_id: number;
    crop: { left: number; top: number; width: number; height: number };
    within_size_limit: boolean;
    file_size: number;
    max_file_size: number;
    preview_base64?: string;
  }>;
  total_optimized: number;
  export_id: string;
  zip_url: string;
  source_asset_id: number;
}

describe('social routes', () => {
  let t: TestApp;
  let alice: Caller;
  let bob: Caller;
  let photo: Buffer;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await setupAdmin(t.app);
    bob = await addUser(t.app, alice.token, 'bob@example.com');
    photo = await sceneWithSubject(1200, 900, { left: 880, top: 80, width: 160, height: 180 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const countAssets = async (who: Caller) => {
    const res = await t.app.inject({ url: '/api/content-assets?limit=100', headers: bearer(who.token) });
    expect(res.statusCode).toBe(200);
    return res.json<{ total: number }>().total;
  };
  /** Files in the data folder other than the database: the blob store. */
  const blobFiles = () =>
    readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter(
      (d) => d.isFile() && !d.name.startsWith('studio.db'),
    ).length;

  it('lists formats and specs from one catalogue; unknown platform → 404 naming the known ones', async () => {
    const formats = await t.app.inject({
      url: '/api/image-studio/social/platforms/twitter/formats',
      headers: bearer(alice.token),
    });
    expect(formats.statusCode).toBe(200);
    expect(
      formats
        .json()
        .formats.map((f: { name: string; width: number; height: number }) => [f.name, f.width, f.height]),
    ).toEqual([
      ['Post', 1200, 675],
      ['Card', 1200, 600],
      ['Header', 1500, 500],
      ['Single Image (2:1)', 2048, 1024],
    ]);
    const blog = await t.app.inject({
      url: '/api/image-studio/social/platforms/blog/formats',
      headers: bearer(alice.token),
    });
    expect(blog.json().formats).toEqual([]);
    const spec = await t.app.inject({
      url: '/api/image-studio/platform-specs/youtube',
      headers: bearer(alice.token),
    });
    expect(spec.json()).toMatchObject({ platform: 'YouTube', max_file_size: '2MB' });
    expect(spec.json().formats[1]).toMatchObject({ name: 'Channel Art', size: '2560x1440' });
    for (const url of [
      '/api/image-studio/platform-specs/myspace',
      '/api/image-studio/social/platforms/myspace/formats',
    ]) {
      const res = await t.app.inject({ url, headers: bearer(alice.token) });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('unknown_platform');
      expect(res.json().error.details.known_platforms).toContain('pinterest');
    }
  });

  it('optimizes base64 into several formats, saves assets with lineage, and zips the export', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: bearer(alice.token),
      payload: {
        image_base64: `data:image/jpeg;base64,${photo.toString('base64')}`,
        platforms: ['instagram', 'linkedin'],
        format_names: { instagram: ['Story', 'Feed Post (Square)'], linkedin: 'Company Cover' },
        output_format: 'jpg',
        show_safe_zones: true,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<OptimizeBody>();
    expect(body.total_optimized).toBe(3);
    expect(body.results.map((r) => [r.platform, r.format, r.width, r.height])).toEqual([
      ['instagram', 'Story', 1080, 1920],
      ['instagram', 'Feed Post (Square)', 1080, 1080],
      ['linkedin', 'Company Cover', 1128, 191],
    ]);
    for (const r of body.results) {
      expect(r.image_base64?.startsWith('data:image/jpeg;base64,')).toBe(true);
      const meta = await sharp(Buffer.from(r.image_base64!.split(',')[1]!, 'base64')).metadata();
      expect([meta.width, meta.height]).toEqual([r.width, r.height]);
      expect(r.within_size_limit).toBe(true);
      expect(r.file_size).toBeLessThanOrEqual(r.max_file_size);
      expect(r.preview_base64?.startsWith('data:image/jpeg;base64,')).toBe(true);
      expect(r.crop.left + r.crop.width).toBeGreaterThanOrEqual(1040);
      const asset = (
        await t.app.inject({ url: `/api/content-assets/${r.asset_id}`, headers: bearer(alice.token) })
      ).json();
      expect(asset).toMatchObject({
        source_module: 'social',
        parent_ids: [body.source_asset_id],
        width: r.width,
      });
    }
    const story = body.results[0]!;
    const file = await t.app.inject({
      url: `/api/content-assets/${story.asset_id}/file?download=true`,
      headers: bearer(alice.token),
    });
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="instagram-story-${story.asset_id}.jpg"`,
    );
    const zip = await t.app.inject({ url: body.zip_url, headers: bearer(alice.token) });
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zip.rawPayload.toString('latin1')).toContain('instagram-story-');
    // Another user, or a tampered id, sees nothing.
    expect((await t.app.inject({ url: body.zip_url, headers: bearer(bob.token) })).statusCode).toBe(404);
    const forged = body.zip_url.replace(/\/([0-9a-f])/, (_m, c: string) => `/${c === 'a' ? 'b' : 'a'}`);
    expect((await t.app.inject({ url: forged, headers: bearer(alice.token) })).statusCode).toBe(404);
  });

  it("makes the outputs' thumbnails after answering, from the same pixels, and on demand before", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: bearer(alice.token),
      payload: {
        image_base64: photo.toString('base64'),
        platforms: ['instagram', 'twitter'],
        format_names: { instagram: 'Story', twitter: 'Header' },
        crop_mode: 'fit',
        fit_background: 'blur',
        burn_safe_zones: true,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<OptimizeBody>();
    // Asked for before the deferred work has run: made on demand, and showing what the export shows.
    for (const r of body.results) {
      const thumb = await t.app.inject({
        url: `/api/content-assets/${r.asset_id}/thumbnail?size=large`,
        headers: bearer(alice.token),
      });
      expect(thumb.statusCode).toBe(200);
      const meta = await sharp(thumb.rawPayload).metadata();
      const k = Math.min(1, 1024 / Math.max(r.width, r.height));
      expect([meta.format, meta.width, meta.height]).toEqual([
        'webp',
        Math.round(r.width * k),
        Math.round(r.height * k),
      ]);
      const output = Buffer.from(r.image_base64!.split(',')[1]!, 'base64');
      expect(await lookDifference(thumb.rawPayload, output)).toBeLessThan(3);
      expect(await lookDifference(thumb.rawPayload, photo)).toBeGreaterThan(10);
    }
    await t.ctx.assets.thumbnailsSettled();
    const rows = await t.ctx.db.kysely
      .selectFrom('assets')
      .select(['thumb_small_sha256', 'thumb_large_sha256', 'thumbhash'])
      .where('id', 'in', [body.source_asset_id, ...body.results.map((r) => r.asset_id)])
      .execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect([row.thumb_small_sha256, row.thumb_large_sha256, row.thumbhash].every(Boolean)).toBe(true);
    }
    const sourceThumb = await t.app.inject({
      url: `/api/content-assets/${body.source_asset_id}/thumbnail?size=small`,
      headers: bearer(alice.token),
    });
    const sourceMeta = await sharp(sourceThumb.rawPayload).metadata();
    expect([sourceMeta.width, sourceMeta.height]).toEqual([256, 192]);
    expect(await lookDifference(sourceThumb.rawPayload, photo)).toBeLessThan(3);
  });

  it('?download=zip answers with the ZIP; asset_id input and all_formats work', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: bearer(alice.token),
      payload: { image_base64: photo.toString('base64'), platforms: ['tiktok'], include_base64: false },
    });
    const sourceId = first.json<OptimizeBody>().source_asset_id;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize?download=zip',
      headers: bearer(alice.token),
      payload: {
        asset_id: sourceId,
        platforms: ['facebook'],
        all_formats: true,
        crop_mode: 'fit',
        fit_background: 'blur',
        output_format: 'webp',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const entries = res.rawPayload.toString('latin1').match(/facebook-[a-z-]+-\d+\.webp/g) ?? [];
    expect(new Set(entries).size).toBe(4);
    // Bob cannot use Alice's asset.
    const stolen = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: bearer(bob.token),
      payload: { asset_id: sourceId, platforms: ['facebook'] },
    });
    expect(stolen.statusCode).toBe(404);
  });

  it("accepts a multipart upload, and the source keeps the file's name", async () => {
    const upload = await sharp(photo).flop().jpeg().toBuffer();
    const boundary = '----studio';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const payload = Buffer.concat([
      Buffer.from(part('platforms', 'pinterest,youtube') + part('output_format', 'png')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Spring launch.jpg"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      upload,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize',
      headers: { ...bearer(alice.token), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<OptimizeBody>();
    expect(body.results.map((r) => r.format)).toEqual(['Pin', 'Thumbnail']);
    const source = await t.app.inject({
      url: `/api/content-assets/${body.source_asset_id}`,
      headers: bearer(alice.token),
    });
    expect(source.json()).toMatchObject({ title: 'Spring launch', source_module: 'upload' });
  });

  it('bad inputs get the right 4xx and write nothing', async () => {
    await t.ctx.assets.thumbnailsSettled(); // earlier tests' thumbnails are not this test's writes
    const before = await countAssets(bob);
    const blobsBefore = blobFiles();
    const full = await sharp(Buffer.alloc(300 * 200 * 3, 90), {
      raw: { width: 300, height: 200, channels: 3 },
    })
      .jpeg()
      .toBuffer();
    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      [
        'truncated',
        { image_base64: full.subarray(0, full.length / 2).toString('base64') },
        400,
        'invalid_image',
      ],
      ['zero bytes', { image_base64: 'data:image/png;base64,' }, 400, 'invalid_base64'],
      ['not base64', { image_base64: '%%%' }, 400, 'invalid_base64'],
      [
        'PDF',
        { image_base64: Buffer.from('%PDF-1.7 ...').toString('base64') },
        415,
        'unsupported_media_type',
      ],
      [
        'pixel bomb',
        { image_base64: pngHeaderOnly(100_000, 100_000).toString('base64') },
        413,
        'too_many_pixels',
      ],
      [
        'hostile SVG',
        {
          image_base64: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
          ).toString('base64'),
        },
        400,
        'unsafe_svg',
      ],
      [
        'no valid platform',
        { image_base64: photo.toString('base64'), platforms: ['myspace'] },
        400,
        'bad_request',
      ],
      ['two images', { image_base64: photo.toString('base64'), asset_id: 1 }, 400, 'validation_failed'],
    ];
    for (const [name, payload, status, code] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/image-studio/social/optimize',
        headers: bearer(bob.token),
        payload: { platforms: ['instagram'], ...payload },
      });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().error.code, name).toBe(code);
    }
    expect(await countAssets(bob)).toBe(before);
    expect(blobFiles()).toBe(blobsBefore);
  });

  it('compress and convert-format (the original API)', async () => {
    const compress = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/compress',
      headers: bearer(alice.token),
      payload: { image_base64: photo.toString('base64'), format: 'webp', quality: 60, target_size_kb: 10 },
    });
    expect(compress.statusCode, compress.body).toBe(200);
    expect(compress.json()).toMatchObject({
      success: true,
      format: 'webp',
      width: 1200,
      height: 900,
      metadata_stripped: true,
    });
    expect(compress.json().compressed_size_kb).toBeLessThanOrEqual(10);
    const convert = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/convert-format',
      headers: bearer(alice.token),
      payload: { image_base64: photo.toString('base64'), target_format: 'png' },
    });
    expect(convert.statusCode, convert.body).toBe(200);
    expect(convert.json()).toMatchObject({
      original_format: 'jpeg',
      target_format: 'png',
      color_space: 'sRGB',
    });
    expect(convert.json().image_base64.startsWith('data:image/png;base64,')).toBe(true);
    const adobe = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/convert-format',
      headers: bearer(alice.token),
      payload: { image_base64: photo.toString('base64'), target_format: 'jpeg', color_space: 'Adobe RGB' },
    });
    expect(adobe.statusCode).toBe(400);
  });

  it('compress/batch keeps failed items in place, zeroed with their error; estimate measures', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/compress/batch',
      headers: bearer(alice.token),
      payload: {
        images: [
          { image_base64: photo.toString('base64'), format: 'jpeg', quality: 70 },
          { image_base64: Buffer.from('%PDF-1.4').toString('base64') },
          { image_base64: photo.toString('base64'), format: 'png' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: false, total_images: 3, successful: 2, failed: 1 });
    expect(body.results[1]).toMatchObject({
      success: false,
      width: 0,
      error: { code: 'unsupported_media_type' },
    });
    expect(body.results[0]).toMatchObject({ success: true, width: 1200, quality_used: 70 });
    expect(body.results[2].image_base64.startsWith('data:image/png;base64,')).toBe(true);

    const convert = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/convert-format/batch',
      headers: bearer(alice.token),
      payload: { images: [{ image_base64: photo.toString('base64'), target_format: 'webp' }] },
    });
    expect(convert.json()).toMatchObject({
      success: true,
      successful: 1,
      results: [{ target_format: 'webp' }],
    });

    const estimate = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/compress/estimate',
      headers: bearer(alice.token),
      payload: { image_base64: photo.toString('base64'), format: 'webp', quality: 50 },
    });
    expect(estimate.statusCode, estimate.body).toBe(200);
    const e = estimate.json();
    expect(e).toMatchObject({ width: 1200, height: 900, format: 'webp' });
    expect(e.estimated_size_kb).toBeGreaterThan(0);
    expect(e.estimated_size_kb).toBeLessThan(e.original_size_kb);
  });
});
