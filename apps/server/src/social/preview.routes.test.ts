import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { quadrants, sceneWithSubject } from '../imaging/test-images.ts';

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}
interface PreviewFormat {
  platform: string;
  format: string;
  format_id: string;
  width: number;
  height: number;
  crop: Rect;
  crop_strategy: string;
  subjects: Rect[];
  safe_zone_rect: Rect;
  safe_areas: Array<{ id: string }>;
}

const pixel = async (bytes: Buffer, x: number, y: number) => {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
};
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 12);

describe('social preview and crop overrides', () => {
  let t: TestApp;
  let token: string;
  let bobToken: string;
  let photo: Buffer;

  beforeAll(async () => {
    t = await startTestApp();
    token = (await setupAdmin(t.app)).token;
    bobToken = (await addUser(t.app, token, 'bob@example.com')).token;
    photo = await sceneWithSubject(1600, 1000, { left: 1200, top: 200, width: 200, height: 240 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, payload: object, who = token) =>
    t.app.inject({ method: 'POST', url, headers: bearer(who), payload });
  const assetCount = async () =>
    (await t.app.inject({ url: '/api/content-assets?limit=1', headers: bearer(token) })).json<{
      total: number;
    }>().total;

  it('answers the crops an export makes, without bytes or saving, and the export matches them', async () => {
    const body = {
      image_base64: photo.toString('base64'),
      platforms: ['instagram', 'youtube'],
      format_names: { instagram: ['Feed Post (Portrait)', 'Story'], youtube: 'Channel Art' },
      output_format: 'jpg',
    };
    const before = await assetCount();
    const res = await post('/api/image-studio/social/preview', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('base64');
    expect(await assetCount()).toBe(before);
    const preview = res.json<{ source: { width: number }; formats: PreviewFormat[] }>();
    expect(preview.source.width).toBe(1600);
    expect(preview.formats.map((f) => f.format_id)).toEqual([
      'instagram.feed_portrait',
      'instagram.story',
      'youtube.channel_art',
    ]);
    const portrait = preview.formats[0]!;
    expect(['faces', 'subjects', 'saliency']).toContain(portrait.crop_strategy);
    // The subject (right side) is inside the crop, and the crop has the format's ratio.
    expect(portrait.crop.left + portrait.crop.width).toBeGreaterThanOrEqual(1400);
    expect(portrait.crop.width / portrait.crop.height).toBeCloseTo(4 / 5, 2);
    expect(portrait.safe_areas.map((a) => a.id)).toEqual(['grid']);
    expect(preview.formats[2]!.safe_areas.map((a) => a.id)).toEqual(['tv', 'desktop', 'tablet', 'mobile']);

    const exported = await post('/api/image-studio/social/optimize', body);
    expect(exported.statusCode, exported.body).toBe(200);
    const crops = exported.json<{ results: Array<{ crop: Rect }> }>().results.map((r) => r.crop);
    expect(crops).toEqual(preview.formats.map((f) => f.crop));
  });

  it('uses a given crop exactly and reports it (pixels prove which part of the source was used)', async () => {
    const source = await quadrants(1600, 1200);
    // The bottom-right quadrant only: yellow everywhere in a square output.
    const crop = {
      platform: 'instagram',
      format: 'Feed Post (Square)',
      left: 820,
      top: 620,
      width: 560,
      height: 560,
    };
    const res = await post('/api/image-studio/social/optimize', {
      image_base64: source.toString('base64'),
      platforms: ['instagram', 'twitter'],
      format_names: { twitter: 'Card' },
      output_format: 'png',
      crops: [crop],
    });
    expect(res.statusCode, res.body).toBe(200);
    const [square, card] = res.json<{
      results: Array<{ crop: Rect; crop_strategy: string; image_base64: string; width: number }>;
    }>().results;
    expect(square!.crop).toEqual({ left: 820, top: 620, width: 560, height: 560 });
    expect(square!.crop_strategy).toBe('manual');
    const bytes = Buffer.from(square!.image_base64.split(',')[1]!, 'base64');
    for (const [x, y] of [
      [5, 5],
      [1075, 5],
      [5, 1075],
      [1075, 1075],
    ] as const) {
      expect(near(await pixel(bytes, x, y), [220, 220, 30]), `${x},${y}`).toBe(true);
    }
    // The other output still decides its own crop.
    expect(card!.crop_strategy).not.toBe('manual');
  });

  it('refuses a crop outside the image, off the ratio, or for a format not made: 400, nothing saved', async () => {
    const before = await assetCount();
    const base = { image_base64: photo.toString('base64'), platforms: ['instagram'] };
    const cases: Array<[object, string]> = [
      [
        { platform: 'instagram', format: 'Feed Post (Square)', left: 1200, top: 0, width: 500, height: 500 },
        'not inside',
      ],
      [
        { platform: 'instagram', format: 'Feed Post (Square)', left: 0, top: 0, width: 500, height: 400 },
        'within 1%',
      ],
      [
        { platform: 'twitter', format: 'Card', left: 0, top: 0, width: 800, height: 400 },
        'not one of the formats',
      ],
    ];
    for (const [crop, message] of cases) {
      for (const url of ['/api/image-studio/social/optimize', '/api/image-studio/social/preview']) {
        const res = await post(url, { ...base, crops: [crop] });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
        expect(res.json().error.message).toContain(message);
      }
    }
    // Within 1% is accepted (whole pixels rarely give the exact ratio).
    const ok = await post('/api/image-studio/social/preview', {
      ...base,
      crops: [
        { platform: 'instagram', format: 'Feed Post (Square)', left: 0, top: 0, width: 500, height: 504 },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().formats[0].crop).toEqual({ left: 0, top: 0, width: 500, height: 504 });
    expect(await assetCount()).toBe(before);
  });

  it("previews a library asset by id; another user's asset is 404", async () => {
    const saved = await post('/api/image-studio/social/optimize', {
      image_base64: photo.toString('base64'),
      platforms: ['tiktok'],
    });
    const assetId = saved.json<{ source_asset_id: number }>().source_asset_id;
    const mine = await post('/api/image-studio/social/preview', { asset_id: assetId, platforms: ['tiktok'] });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().formats[0].format_id).toBe('tiktok.video_cover');
    const theirs = await post(
      '/api/image-studio/social/preview',
      { asset_id: assetId, platforms: ['tiktok'] },
      bobToken,
    );
    expect(theirs.statusCode).toBe(404);
  });

  it("a library image's preview analyses its stored thumbnail: the image itself is not decoded again", async () => {
    const face = { left: 2000, top: 300, width: 300, height: 360 };
    const png = await sharp(await sceneWithSubject(2400, 1600, face))
      .png()
      .toBuffer();
    const boundary = '----previewdecodes';
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/upload',
      headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="wide.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    await t.ctx.assets.thumbnailsSettled();
    const before = { ...t.ctx.social.decodes };
    const res = await post('/api/image-studio/social/preview', {
      asset_id: upload.json<{ id: number }>().id,
      platforms: ['tiktok'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(t.ctx.social.decodes).toEqual({ source: before.source, thumbnail: before.thumbnail + 1 });
    // The crop still follows the subject, found on the thumbnail and mapped to source pixels.
    const crop: Rect = res.json().formats[0].crop;
    expect(crop.left).toBeLessThanOrEqual(face.left);
    expect(crop.left + crop.width).toBeGreaterThanOrEqual(face.left + face.width);
    expect(crop.height).toBe(1600);

    // The seam counts: the same kind of image sent as bytes is decoded itself.
    const other = await sharp(
      await sceneWithSubject(2400, 1600, { left: 100, top: 300, width: 300, height: 360 }),
    )
      .png()
      .toBuffer();
    const sent = await post('/api/image-studio/social/preview', {
      image_base64: other.toString('base64'),
      platforms: ['tiktok'],
    });
    expect(sent.statusCode).toBe(200);
    expect(t.ctx.social.decodes.source).toBe(before.source + 1);
  });

  it('keeps the crops exported from a library image, so exporting them again gives the same files', async () => {
    const source = await quadrants(1200, 800);
    const first = await post('/api/image-studio/social/optimize', {
      image_base64: source.toString('base64'),
      platforms: ['instagram'],
      output_format: 'png',
      crops: [{ platform: 'instagram', format: 'feed_square', left: 100, top: 50, width: 400, height: 400 }],
    });
    expect(first.statusCode, first.body).toBe(200);
    const sourceId = first.json<{ source_asset_id: number }>().source_asset_id;
    const saved = await t.app.inject({
      url: `/api/image-studio/social/crops?asset_id=${sourceId}`,
      headers: bearer(token),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const crops = saved.json<{
      crops: Array<Rect & { format_id: string; platform: string; format: string }>;
    }>().crops;
    expect(crops.map((c) => [c.format_id, c.left, c.top, c.width, c.height])).toEqual([
      ['instagram.feed_square', 100, 50, 400, 400],
    ]);
    const again = await post('/api/image-studio/social/optimize', {
      asset_id: sourceId,
      platforms: ['instagram'],
      output_format: 'png',
      crops: crops.map(({ platform, format, left, top, width, height }) => ({
        platform,
        format,
        left,
        top,
        width,
        height,
      })),
    });
    const a = first.json<{ results: Array<{ image_base64: string }> }>().results[0]!.image_base64;
    const b = again.json<{ results: Array<{ image_base64: string }> }>().results[0]!.image_base64;
    expect(b).toBe(a);
    const other = await t.app.inject({
      url: `/api/image-studio/social/crops?asset_id=${sourceId}`,
      headers: bearer(bobToken),
    });
    expect(other.statusCode).toBe(404);
  });
});
