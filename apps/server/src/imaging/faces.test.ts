import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createFaceDetector, faceDetector } from './faces.ts';
import { SessionLoader } from './local/onnx/session-loader.ts';
import { packageDir } from './local/package-dir.ts';

/** A real photographed face: the warm-up sample that ships inside @vladmandic/human. */
async function sampleFace(): Promise<Buffer> {
  const source = await readFile(join(packageDir('@vladmandic/human'), 'src', 'sample.ts'), 'utf8');
  const m = /export const face: string = `([^`]+)`/.exec(source);
  if (!m?.[1]) throw new Error('sample face not found');
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

describe('face detection', () => {
  it('finds a real face placed off-centre and reports it in source pixels', async () => {
    const face = await sharp(await sampleFace())
      .resize(300, 300, { fit: 'cover' })
      .toBuffer();
    const scene = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#6b7a86' } })
      .composite([{ input: face, left: 820, top: 380 }])
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Hand the detector a half-size copy, as the optimizer does; boxes must come back in source pixels.
    const half = await sharp(scene.data, { raw: scene.info }).resize(600, 400).removeAlpha().raw().toBuffer();
    const faces = await faceDetector.detect({ data: half, width: 600, height: 400, channels: 3, scale: 0.5 });
    expect(faces.length).toBeGreaterThanOrEqual(1);
    const [f] = faces;
    const cx = f!.left + f!.width / 2;
    const cy = f!.top + f!.height / 2;
    expect(cx).toBeGreaterThan(820);
    expect(cx).toBeLessThan(1120);
    expect(cy).toBeGreaterThan(380);
    expect(cy).toBeLessThan(680);
    expect(f!.width).toBeGreaterThan(60);
  }, 60_000);

  it('finds nothing in a blank image', async () => {
    const data = Buffer.alloc(320 * 240 * 3, 128);
    expect(await faceDetector.detect({ data, width: 320, height: 240, channels: 3, scale: 1 })).toEqual([]);
  }, 60_000);

  it('degrades to an empty list, logging once, when the model cannot load', async () => {
    const logs: string[] = [];
    const broken = createFaceDetector({
      log: (m) => logs.push(m),
      faceLoader: new SessionLoader(() => Uint8Array.of(1, 2, 3)),
    });
    const pixels = { data: Buffer.alloc(12), width: 2, height: 2, channels: 3 as const, scale: 1 };
    expect(await broken.detect(pixels)).toEqual([]);
    expect(await broken.detect(pixels)).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('Face detection unavailable');
  });
});
