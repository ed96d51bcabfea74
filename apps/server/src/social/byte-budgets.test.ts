import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FaceDetector } from '../imaging/faces.ts';
import { ingestBytes } from '../imaging/ingest.ts';
import { grainyPhoto, noise } from '../imaging/test-images.ts';
import { ALL_FORMATS } from './platforms.ts';
import { type OptimizeResult, type SocialOutputFormat, SocialService } from './social.service.ts';

const limits = { maxUploadBytes: 60 * 1024 * 1024, maxInputPixels: 50_000_000 };
const noFaces: FaceDetector = { detect: async () => [] };

/** A scene with film grain: compresses like a photograph (smooth areas, edges, fine noise). */
const photographic = (width: number, height: number) =>
  grainyPhoto(width, height, {
    subject: { left: 0.6, top: 0.2, width: 0.15, height: 0.2 },
    sigma: 30,
    quality: 95,
  });

/** Larger than every format, so no output is an enlargement (which would compress far better). */
const SOURCE = { width: 2600, height: 2000 };

async function exportAll(input: Buffer, outputFormat: SocialOutputFormat): Promise<OptimizeResult> {
  const image = await ingestBytes(input, { limits });
  return new SocialService({ faces: noFaces }).optimize(image, {
    formats: ALL_FORMATS,
    cropMode: 'center',
    outputFormat,
    // JPEG near the top of its range; PNG lossless (the default), as the seed wrote it.
    ...(outputFormat === 'jpeg' ? { quality: 95 } : {}),
  });
}

describe('byte budgets: every format on photographic and noisy inputs', () => {
  const encodes: number[] = [];

  for (const [label, make] of [
    ['photographic', () => photographic(SOURCE.width, SOURCE.height)],
    ['noise', () => noise(SOURCE.width, SOURCE.height, 'png')],
  ] as const) {
    for (const out of ['jpeg', 'png'] as const) {
      it(`${label} → ${out}: every file within its limit, at its size or a smaller one the platform takes`, async () => {
        const result = await exportAll(await make(), out);
        expect(result.failures.map((f) => f.message)).toEqual([]);
        expect(result.outputs).toHaveLength(ALL_FORMATS.length);
        for (const o of result.outputs) {
          const f = o.format;
          expect(o.bytes.length, f.id).toBeLessThanOrEqual(f.maxBytes);
          const meta = await sharp(o.bytes).metadata();
          expect([meta.width, meta.height], f.id).toEqual([o.width, o.height]);
          expect(f.fileTypes, f.id).toContain(meta.format);
          if (o.width !== f.width) {
            // Only formats that take a range of sizes shrink, never below the minimum, same ratio.
            expect(f.minWidth, f.id).toBeDefined();
            expect(o.width, f.id).toBeGreaterThanOrEqual(f.minWidth ?? Infinity);
            expect(Math.abs(o.width / o.height - f.width / f.height) / (f.width / f.height)).toBeLessThan(
              0.01,
            );
          }
          encodes.push(o.encodes);
        }
      }, 600_000);
    }
  }

  it('≥ 99% of the outputs above landed within 6 encodes', () => {
    expect(encodes.length).toBe(ALL_FORMATS.length * 4);
    const within = encodes.filter((n) => n <= 6).length;
    expect(within / encodes.length, JSON.stringify(encodes)).toBeGreaterThanOrEqual(0.99);
  });
});
