import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRealPhotos, realPhoto } from '../../../../test/support/real-photos.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}
interface Preview {
  detected_subjects: Array<{ label: string; kind: string; score: number; box: Box }>;
  formats: Array<{
    format_id: string;
    crop: Box;
    crop_strategy: string;
    crop_note?: string;
    subjects: Box[];
  }>;
}

describe.runIf(hasRealPhotos())('social answers what the local detectors found', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = (await setupAdmin(t.app)).token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists both people of the basketball photo and says which one a square crop had to cut', async () => {
    // basketball1.png (640×480): a man facing the camera on the left, another at the right edge.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/preview',
      headers: bearer(token),
      payload: {
        image_base64: realPhoto('basketball').toString('base64'),
        platforms: ['instagram', 'twitter'],
        format_names: { instagram: 'Feed Post (Square)', twitter: 'Header' },
        output_format: 'jpg',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json<Preview>();
    const people = preview.detected_subjects.filter((s) => s.kind === 'person');
    expect(people.length).toBeGreaterThanOrEqual(2);
    // Most important first: the man whose face was seen, boxed by head and shoulders.
    const first = people[0]!;
    expect(first.label).toBe('person');
    expect(first.score).toBeGreaterThan(0.5);
    expect(first.box.left).toBeLessThan(60);
    expect(first.box.left + first.box.width).toBeLessThan(200);
    expect(first.box.top).toBeLessThan(90);
    expect(people.some((p) => p.box.left > 400)).toBe(true);

    const square = preview.formats.find((f) => f.format_id === 'instagram.feed_square')!;
    // 480 px of width cannot hold people at x≈30 and x≈640: the first is kept, the other named as cut.
    expect(square.crop_strategy).toBe('subjects');
    expect(square.crop_note).toMatch(/^kept person \(head and shoulders\); cut person/);
    expect(square.crop.left).toBeLessThanOrEqual(first.box.left);
    expect(square.crop.left + square.crop.width).toBeGreaterThanOrEqual(first.box.left + first.box.width);
    expect(square.subjects).toEqual([first.box]);
  }, 120_000);
});
