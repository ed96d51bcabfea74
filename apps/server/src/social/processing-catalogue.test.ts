import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { noise, sceneWithSubject } from '../imaging/test-images.ts';

interface CompressionFormat {
  id: string;
  extension: string;
  supports_transparency: boolean;
  quality_range: [number, number];
  recommended_quality: number;
}
interface Preset {
  id: string;
  format: string;
  quality: number;
  target_size_kb?: number;
  strip_metadata: boolean;
}
interface Convertible {
  id: string;
  mime_type: string;
  supports_transparency: boolean;
}

const dataUrlBytes = (s: string) => Buffer.from(s.split(',')[1] ?? '', 'base64');
const SHARP_FORMAT: Record<string, string> = { jpg: 'jpeg', avif: 'heif' };

describe('compress and convert catalogue endpoints', () => {
  let t: TestApp;
  let token: string;
  let photo: Buffer;

  beforeAll(async () => {
    t = await startTestApp();
    token = (await setupAdmin(t.app)).token;
    photo = await sceneWithSubject(640, 480, { left: 300, top: 100, width: 120, height: 160 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string) => t.app.inject({ url, headers: bearer(token) });
  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload });

  it('lists compression formats that POST /compress writes, at their recommended quality', async () => {
    const res = await get('/api/image-studio/compress/formats');
    expect(res.statusCode).toBe(200);
    const formats = res.json<{ formats: CompressionFormat[] }>().formats;
    expect(formats.map((f) => f.id)).toEqual(['jpeg', 'png', 'webp', 'avif']);
    for (const f of formats) {
      expect(f.quality_range).toEqual([1, 100]);
      const out = await post('/api/image-studio/compress', {
        image_base64: photo.toString('base64'),
        format: f.id,
        quality: f.recommended_quality,
      });
      expect(out.statusCode, out.body).toBe(200);
      const meta = await sharp(dataUrlBytes(out.json().image_base64)).metadata();
      expect(meta.format).toBe(SHARP_FORMAT[f.id] ?? f.id);
      expect([meta.width, meta.height]).toEqual([640, 480]);
    }
  });

  it('lists presets whose settings POST /compress accepts and honours (email meets 200 KB)', async () => {
    const res = await get('/api/image-studio/compress/presets');
    const presets = res.json<{ presets: Preset[] }>().presets;
    expect(presets.map((p) => p.id)).toEqual(['web', 'email', 'social', 'high_quality', 'maximum']);
    const big = await noise(1200, 1200, 'png');
    for (const p of presets) {
      const out = await post('/api/image-studio/compress', {
        image_base64: big.toString('base64'),
        format: p.format,
        quality: p.quality,
        strip_metadata: p.strip_metadata,
        ...(p.target_size_kb ? { target_size_kb: p.target_size_kb } : {}),
      });
      expect(out.statusCode, `${p.id}: ${out.body}`).toBe(200);
      const body = out.json();
      if (p.target_size_kb) {
        expect(body.target_met).toBe(true);
        expect(dataUrlBytes(body.image_base64).length).toBeLessThanOrEqual(p.target_size_kb * 1024);
      }
      if (p.id === 'high_quality') {
        // Lossless: the pixels come back exactly.
        const back = await sharp(dataUrlBytes(body.image_base64)).removeAlpha().raw().toBuffer();
        expect(back.equals(await sharp(big).removeAlpha().raw().toBuffer())).toBe(true);
      }
    }
  });

  it('lists every target format POST /convert-format accepts, with the mime type it answers', async () => {
    const res = await get('/api/image-studio/convert-format/supported');
    const formats = res.json<{ formats: Convertible[] }>().formats;
    expect(formats.map((f) => f.id)).toEqual(['png', 'jpeg', 'jpg', 'webp', 'avif', 'gif', 'bmp', 'tiff']);
    for (const f of formats) {
      const out = await post('/api/image-studio/convert-format', {
        image_base64: photo.toString('base64'),
        target_format: f.id,
      });
      expect(out.statusCode, out.body).toBe(200);
      expect(out.json().image_base64.startsWith(`data:${f.mime_type};base64,`)).toBe(true);
    }
  });

  it('recommends by source format (any case); unknown → empty; missing → 400', async () => {
    const png = await get('/api/image-studio/convert-format/recommendations?source_format=PNG');
    expect(png.statusCode).toBe(200);
    expect(png.json().recommendations.map((r: { format: string }) => r.format)).toEqual(['webp', 'jpeg']);
    const jpg = await get('/api/image-studio/convert-format/recommendations?source_format=jpg');
    expect(jpg.json().recommendations[0]).toMatchObject({ format: 'webp' });
    const supported = (await get('/api/image-studio/convert-format/supported'))
      .json<{ formats: Convertible[] }>()
      .formats.map((f) => f.id);
    for (const r of jpg.json().recommendations) expect(supported).toContain(r.format);
    const unknown = await get('/api/image-studio/convert-format/recommendations?source_format=xcf');
    expect(unknown.json()).toEqual({ recommendations: [] });
    const missing = await get('/api/image-studio/convert-format/recommendations');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('validation_failed');
  });

  it('needs a signed-in caller', async () => {
    for (const url of ['/api/image-studio/compress/formats', '/api/image-studio/convert-format/supported']) {
      expect((await t.app.inject({ url })).statusCode).toBe(401);
    }
  });
});
