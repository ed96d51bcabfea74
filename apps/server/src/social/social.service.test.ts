import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { realPhoto } from '../../../../test/support/real-photos.ts';
import { type DetectOptions, type FaceDetector, faceDetector } from '../imaging/faces.ts';
import { contains, type Rect } from '../imaging/geometry.ts';
import { type IngestedImage, ingestBytes } from '../imaging/ingest.ts';
import { packageDir } from '../imaging/local/package-dir.ts';
import { sceneWithSubject } from '../imaging/test-images.ts';
import { findFormat, findPlatform, type PlatformFormat, SEED_FORMATS } from './platforms.ts';
import { SocialService } from './social.service.ts';

const limits = { maxUploadBytes: 25 * 1024 * 1024, maxInputPixels: 50_000_000 };
const noFaces: FaceDetector = { detect: async () => [] };
const format = (platform: string, name: string): PlatformFormat => findFormat(findPlatform(platform)!, name)!;

/** Counts decodes (and their scales), to prove the source is decoded once however many formats are asked for. */
function counting(image: IngestedImage) {
  const scales: number[] = [];
  const wrapped: IngestedImage = {
    ...image,
    decodeRaw: (scale, background) => {
      scales.push(scale ?? 1);
      return image.decodeRaw(scale, background);
    },
  };
  return { image: wrapped, decodes: () => scales.length, scales: () => scales };
}

const subject: Rect = { left: 1150, top: 90, width: 200, height: 220 };
const scene = () => sceneWithSubject(1600, 1200, subject);

describe('SocialService.optimize', () => {
  it('renders all 20 formats from one decode (a JPEG is analysed from a small shrink-on-load one): exact sizes, limits met, subject inside every crop', async () => {
    const { image, scales } = counting(await ingestBytes(await scene(), { limits }));
    const service = new SocialService({ faces: noFaces });
    const result = await service.optimize(image, {
      formats: SEED_FORMATS,
      cropMode: 'smart',
      outputFormat: 'jpeg',
    });
    // One decode at the scale the outputs need, and one at analysis size (640 px long side).
    expect([...scales()].sort((a, b) => a - b)).toEqual([640 / 1600, result.decode.scale]);
    expect(result.outputs).toHaveLength(20);
    for (const out of result.outputs) {
      const meta = await sharp(out.bytes).metadata();
      expect([meta.format, meta.width, meta.height], out.format.id).toEqual([
        'jpeg',
        out.format.width,
        out.format.height,
      ]);
      expect(out.bytes.length).toBeLessThanOrEqual(out.format.maxBytes);
      expect(out.strategy).toBe('saliency');
      expect(contains(out.crop, subject), `${out.format.id} ${JSON.stringify(out.crop)}`).toBe(true);
      expect(contains({ left: 0, top: 0, width: 1600, height: 1200 }, out.crop)).toBe(true);
      expect(out.subjects).toHaveLength(1);
      expect(contains(out.safeRect, out.safeRect)).toBe(true);
    }
    const ig = result.outputs.find((o) => o.format.id === 'instagram.story')!;
    // Stories and Reels share one zone: 13% top, 18% bottom, 6% sides.
    expect(ig.safeRect).toEqual({ left: 64, top: 249, width: 951, height: 1325 });
    // The five 1080×1920 formats share one crop and size, so one encode serves them all.
    const stories = result.outputs.filter((o) => o.width === 1080 && o.height === 1920);
    expect(stories).toHaveLength(5);
    for (const s of stories) expect(s.bytes).toBe(stories[0]!.bytes);
  }, 60_000);

  it('decodes a large source at the scale the largest output needs', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#456' } })
      .jpeg()
      .toBuffer();
    const image = await ingestBytes(big, { limits });
    const service = new SocialService({ faces: noFaces });
    const result = await service.optimize(image, {
      formats: [format('instagram', 'Feed Post (Square)'), format('twitter', 'Card')],
      cropMode: 'center',
      outputFormat: 'webp',
    });
    // Square from 3000×3000 at 1080 → 0.36; Card from 4000×2000 at 1200 → 0.3. Max wins.
    expect(result.decode.width).toBe(1440);
    expect(result.outputs.map((o) => o.crop)).toEqual([
      { left: 500, top: 0, width: 3000, height: 3000 },
      { left: 0, top: 500, width: 4000, height: 2000 },
    ]);
  });

  it('uses detected faces first and reports them as subjects', async () => {
    const face = { left: 200, top: 500, width: 180, height: 200, score: 0.9 };
    const image = await ingestBytes(await scene(), { limits });
    const service = new SocialService({ faces: { detect: async () => [face] } });
    const result = await service.optimize(image, {
      formats: [format('pinterest', 'Story Pin'), format('twitter', 'Header')],
      cropMode: 'smart',
      outputFormat: 'png',
    });
    for (const out of result.outputs) {
      expect(out.strategy).toBe('faces');
      expect(contains(out.crop, face)).toBe(true);
      expect(out.subjects).toEqual([{ left: 200, top: 500, width: 180, height: 200 }]);
    }
  });

  it('finds a real photographed face with the bundled detector and keeps it in every format', async () => {
    const src = await readFile(join(packageDir('@vladmandic/human'), 'src', 'sample.ts'), 'utf8');
    const faceJpeg = Buffer.from(
      /export const face: string = `([^`]+)`/.exec(src)![1]!.replace(/\s+/g, ''),
      'base64',
    );
    const face = await sharp(faceJpeg).resize(260, 260, { fit: 'cover' }).toBuffer();
    const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#7a8791' } })
      .composite([{ input: face, left: 1250, top: 640 }])
      .jpeg()
      .toBuffer();
    const image = await ingestBytes(photo, { limits });
    const result = await new SocialService({ faces: faceDetector }).optimize(image, {
      formats: SEED_FORMATS,
      cropMode: 'smart',
      outputFormat: 'jpeg',
    });
    expect(result.faces.length).toBeGreaterThanOrEqual(1);
    const f = result.faces[0]!;
    expect(f.left + f.width / 2).toBeGreaterThan(1250);
    expect(f.top + f.height / 2).toBeGreaterThan(640);
    for (const out of result.outputs) {
      expect(out.strategy).toBe('faces');
      if (f.height <= out.crop.height && f.width <= out.crop.width) {
        expect(contains(out.crop, f, 1), out.format.id).toBe(true);
      }
    }
  }, 60_000);

  it('honours a focal point and skips detection', async () => {
    let calls = 0;
    const image = await ingestBytes(await scene(), { limits });
    const service = new SocialService({
      faces: {
        detect: async () => {
          calls++;
          return [];
        },
      },
    });
    const result = await service.optimize(image, {
      formats: [format('instagram', 'Story')],
      cropMode: 'smart',
      focalPoint: { x: 0, y: 0.5 },
      outputFormat: 'jpeg',
    });
    expect(calls).toBe(0);
    expect(result.outputs[0]!.strategy).toBe('focal_point');
    expect(result.outputs[0]!.crop.left).toBe(0);
  });

  it('fit keeps the whole image on a colour, a blur or extended edges', async () => {
    const image = await ingestBytes(
      await sharp({ create: { width: 400, height: 300, channels: 3, background: '#20a040' } })
        .png()
        .toBuffer(),
      { limits },
    );
    const service = new SocialService({ faces: noFaces });
    const story = format('instagram', 'Story');
    for (const fitBackground of ['color', 'blur', 'extend'] as const) {
      const [out] = (
        await service.optimize(image, {
          formats: [story],
          cropMode: 'fit',
          fitBackground,
          backgroundColor: '#ff00ff',
          outputFormat: 'png',
        })
      ).outputs;
      expect(out!.crop).toEqual({ left: 0, top: 0, width: 400, height: 300 });
      expect(out!.placement).toEqual({ left: 0, top: 555, width: 1080, height: 810 });
      const { data, info } = await sharp(out!.bytes).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([1080, 1920]);
      const at = (x: number, y: number) =>
        Array.from(data.subarray((y * 1080 + x) * info.channels, (y * 1080 + x) * info.channels + 3));
      expect(at(540, 960)).toEqual([0x20, 0xa0, 0x40]); // the image itself
      const corner = at(5, 5);
      if (fitBackground === 'color') expect(corner).toEqual([255, 0, 255]);
      if (fitBackground === 'extend') expect(corner).toEqual([0x20, 0xa0, 0x40]);
      if (fitBackground === 'blur') {
        expect(corner[1]!).toBeGreaterThan(100); // dimmed image colour, not the padding colour
        expect(corner[0]!).toBeLessThan(60);
      }
    }
  });

  it('keeps exports clean unless burn_safe_zones; a separate preview carries the overlay', async () => {
    const image = await ingestBytes(
      await sharp({ create: { width: 1200, height: 1200, channels: 3, background: '#c0c0c0' } })
        .png()
        .toBuffer(),
      { limits },
    );
    const service = new SocialService({ faces: noFaces });
    const square = format('instagram', 'Feed Post (Square)');
    const grey = async (bytes: Buffer, x: number, y: number) => {
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      return data[(y * info.width + x) * info.channels]!;
    };
    const clean = (
      await service.optimize(image, {
        formats: [square],
        cropMode: 'center',
        outputFormat: 'png',
        preview: true,
      })
    ).outputs[0]!;
    expect(await grey(clean.bytes, 540, 20)).toBe(0xc0);
    expect(clean.preview).toBeDefined();
    const pm = await sharp(clean.preview!).metadata();
    expect([pm.format, pm.width, pm.height]).toEqual(['jpeg', 540, 540]);
    expect(await grey(clean.preview!, 270, 10)).toBeLessThan(0xa0);
    expect(await grey(clean.preview!, 270, 270)).toBeGreaterThan(0xb8);
    const burnt = (
      await service.optimize(image, {
        formats: [square],
        cropMode: 'center',
        outputFormat: 'png',
        burnSafeZones: true,
      })
    ).outputs[0]!;
    expect(await grey(burnt.bytes, 540, 20)).toBeLessThan(0xa0);
    expect(await grey(burnt.bytes, 540, 540)).toBe(0xc0);
  });

  it('lowers quality to meet a size limit, and fails the output (nothing over the limit) when it cannot', async () => {
    const noisy = Buffer.alloc(800 * 800 * 3);
    let x = 7;
    for (let i = 0; i < noisy.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      noisy[i] = x >>> 24;
    }
    const image = await ingestBytes(
      await sharp(noisy, { raw: { width: 800, height: 800, channels: 3 } })
        .png()
        .toBuffer(),
      { limits },
    );
    const service = new SocialService({ faces: noFaces });
    const base = format('instagram', 'Feed Post (Square)');
    const tight: PlatformFormat = { ...base, id: 'test.tight', maxBytes: 400 * 1024 };
    // A fixed-size format (no minimum width, so no shrinking to fit).
    const fixed = format('facebook', 'Feed Post (Square)');
    const impossible: PlatformFormat = { ...fixed, id: 'test.impossible', width: 1000, maxBytes: 20 * 1024 };
    const result = await service.optimize(image, {
      formats: [tight, impossible],
      cropMode: 'center',
      outputFormat: 'jpeg',
      quality: 95,
    });
    const a = result.outputs[0];
    expect(result.outputs).toHaveLength(1);
    expect(a!.qualityReduced).toBe(true);
    expect(a!.encodes).toBeLessThanOrEqual(6);
    expect(a!.bytes.length).toBeLessThanOrEqual(400 * 1024);
    expect(a!.quality).toBeLessThan(95);
    expect(a!.warnings.join(' ')).toContain('Quality lowered from 95');
    expect(result.failures.map((f) => [f.format.id, f.code])).toEqual([
      ['test.impossible', 'over_size_limit'],
    ]);
    expect(result.failures[0]!.message).toContain('JPEG at quality 40');
    expect(result.failures[0]!.message).toContain('over the 0.02 MB limit');
  });

  it('keeps alpha in PNG/WebP, flattens for JPEG, and warns about types a platform refuses', async () => {
    const image = await ingestBytes(
      await sharp({
        create: { width: 300, height: 300, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } },
      })
        .png()
        .toBuffer(),
      { limits },
    );
    const service = new SocialService({ faces: noFaces });
    const sq = format('instagram', 'Feed Post (Square)');
    const webp = (await service.optimize(image, { formats: [sq], cropMode: 'center', outputFormat: 'webp' }))
      .outputs[0]!;
    expect((await sharp(webp.bytes).metadata()).hasAlpha).toBe(true);
    expect(webp.warnings.join(' ')).toContain('does not accept WEBP');
    expect(webp.warnings.join(' ')).toContain('Enlarged');
    const jpeg = (await service.optimize(image, { formats: [sq], cropMode: 'center', outputFormat: 'jpeg' }))
      .outputs[0]!;
    const { data } = await sharp(jpeg.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(Array.from(data.subarray(0, 3))).toEqual([255, 255, 255]);
  });
});

describe('SocialService.preview', () => {
  it('decodes at analysis size once, answers from the cache after, and the export crops the same', async () => {
    const big = await sceneWithSubject(4000, 3000, { left: 3000, top: 400, width: 500, height: 600 });
    const { image, decodes } = counting(await ingestBytes(big, { limits }));
    const scales: number[] = [];
    const watched: IngestedImage = {
      ...image,
      decodeRaw: (scale, background) => {
        scales.push(scale ?? 1);
        return image.decodeRaw(scale, background);
      },
    };
    const service = new SocialService({ faces: noFaces });
    const req = { formats: SEED_FORMATS, cropMode: 'smart' as const, outputFormat: 'jpeg' as const };
    const first = await service.preview(watched, req);
    // A 12 MP JPEG decodes at its own 1/8 scale: 500 px, nothing resized after.
    expect(scales).toEqual([1 / 8]);
    expect([first.decode.width, first.decode.height]).toEqual([500, 375]);
    const again = await service.preview(watched, req);
    expect(scales).toHaveLength(1);
    expect(again.outputs.map((o) => o.crop)).toEqual(first.outputs.map((o) => o.crop));
    const exported = await service.optimize(watched, req);
    expect(exported.outputs.map((o) => o.crop)).toEqual(first.outputs.map((o) => o.crop));
    expect(decodes()).toBe(2);
  }, 60_000);

  it('lets its detection take a spare core only when told, and crops the same either way', async () => {
    const image = await ingestBytes(realPhoto('faces'), { limits });
    const seen: Array<DetectOptions | undefined> = [];
    const watching: FaceDetector = {
      detect: (pixels) => faceDetector.detect(pixels),
      detectSubjects: (pixels, detect) => {
        seen.push(detect);
        return faceDetector.detectSubjects(pixels, detect);
      },
    };
    const req = { formats: SEED_FORMATS, cropMode: 'smart' as const, outputFormat: 'jpeg' as const };
    // Two services: each analyses afresh instead of answering from the other's cache.
    const alone = await new SocialService({ faces: watching }).preview(image, req, undefined, {
      spareCore: true,
    });
    const beside = await new SocialService({ faces: watching }).preview(image, req);
    expect(seen).toEqual([{ spareCore: true }, {}]);
    expect(alone.subjects.length).toBeGreaterThan(0);
    expect(beside.subjects).toEqual(alone.subjects);
    expect(beside.outputs.map((o) => o.crop)).toEqual(alone.outputs.map((o) => o.crop));
  }, 120_000);
});
