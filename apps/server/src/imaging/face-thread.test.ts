import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DETECTOR_QUEUE_LIMIT, requestFaceDetector, threadedFaceDetector } from './face-thread.ts';
import { packageDir } from './local/package-dir.ts';

async function sampleFace(): Promise<Buffer> {
  const source = await readFile(join(packageDir('@vladmandic/human'), 'src', 'sample.ts'), 'utf8');
  const m = /export const face: string = `([^`]+)`/.exec(source);
  if (!m?.[1]) throw new Error('sample face not found');
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

describe('face detection on its own thread', () => {
  it('finds a face in source pixels and none in a blank image, for calls made at once', async () => {
    const face = await sharp(await sampleFace())
      .resize(200, 200, { fit: 'cover' })
      .toBuffer();
    const scene = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#6b7a86' } })
      .composite([{ input: face, left: 500, top: 300 }])
      .removeAlpha()
      .raw()
      .toBuffer();
    const blank = Buffer.alloc(320 * 240 * 3, 128);
    const [found, none] = await Promise.all([
      threadedFaceDetector.detect({ data: scene, width: 800, height: 600, channels: 3, scale: 1 }),
      threadedFaceDetector.detect({ data: blank, width: 320, height: 240, channels: 3, scale: 1 }),
    ]);
    expect(none).toEqual([]);
    expect(found.length).toBeGreaterThanOrEqual(1);
    const f = found[0]!;
    expect(f.left + f.width / 2).toBeGreaterThan(500);
    expect(f.left + f.width / 2).toBeLessThan(700);
    expect(f.top + f.height / 2).toBeGreaterThan(300);
    expect(f.top + f.height / 2).toBeLessThan(500);
  }, 60_000);

  it('admits at most DETECTOR_QUEUE_LIMIT request calls at once: the rest are told at once that the server is busy; jobs wait', async () => {
    const blank = {
      data: Buffer.alloc(64 * 64 * 3, 128),
      width: 64,
      height: 64,
      channels: 3 as const,
      scale: 1,
    };
    const calls = Array.from({ length: DETECTOR_QUEUE_LIMIT + 3 }, () =>
      requestFaceDetector.detectSubjects(blank).then(
        (found) => ({ found }),
        (error: unknown) => ({ error }),
      ),
    );
    const outcomes = await Promise.all(calls);
    const refused = outcomes.filter((o) => 'error' in o);
    expect(refused).toHaveLength(3);
    for (const o of refused) {
      expect(o.error).toMatchObject({ status: 503, code: 'server_busy' });
    }
    for (const o of outcomes.slice(0, DETECTOR_QUEUE_LIMIT)) {
      expect(o).toEqual({ found: { faces: [], objects: [], bodies: [] } });
    }
    // A job's call past the limit waits its turn instead.
    const full = Array.from({ length: DETECTOR_QUEUE_LIMIT }, () =>
      requestFaceDetector.detectSubjects(blank),
    );
    const job = threadedFaceDetector.detectSubjects(blank);
    await Promise.all(full);
    expect(await job).toEqual({ faces: [], objects: [], bodies: [] });
    // Once they finish, the thread takes request calls again.
    expect(await requestFaceDetector.detectSubjects(blank)).toEqual({ faces: [], objects: [], bodies: [] });
  }, 120_000);
});
