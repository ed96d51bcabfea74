import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hasRealPhotos, type RealPhotoName, realPhoto } from '../../../../test/support/real-photos.ts';
import { threadedFaceDetector } from './face-thread.ts';
import { contains, type Rect } from './geometry.ts';
import type { RawImage } from './ingest.ts';
import { subjectKind } from './objects.ts';
import { detectSubjects } from './subjects.ts';

async function decode(name: RealPhotoName): Promise<RawImage> {
  const { data, info } = await sharp(realPhoto(name))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, scale: 1 };
}

const centre = (r: Rect) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
const inside = (p: { x: number; y: number }, r: Rect) =>
  p.x >= r.left && p.x <= r.left + r.width && p.y >= r.top && p.y <= r.top + r.height;

describe.runIf(hasRealPhotos())('subject detection (CenterNet + MoveNet + blazeface, one thread)', () => {
  it('finds the footballer as a person with a pose, and the ball, in source pixels', async () => {
    const found = await detectSubjects(await decode('footballer'), threadedFaceDetector);
    // messi5.jpg is 548×342: the player stands left of centre, the ball lies at his feet on the right.
    const player: Rect = { left: 80, top: 55, width: 380, height: 287 };
    const person = found.objects.find((o) => o.label === 'person' && o.score >= 0.4);
    expect(person).toBeDefined();
    expect(contains(player, person!.box, 10)).toBe(true);
    expect(person!.box.width * person!.box.height).toBeGreaterThan(0.5 * player.width * player.height);
    const ball = found.objects.find((o) => o.label === 'sports ball');
    expect(ball).toBeDefined();
    expect(inside(centre(ball!.box), { left: 320, top: 270, width: 80, height: 72 })).toBe(true);
    expect(found.faces).toHaveLength(1);
    expect(inside(centre(found.faces[0]!), { left: 200, top: 70, width: 90, height: 90 })).toBe(true);
    expect(found.bodies).toHaveLength(1);
    const parts = found.bodies[0]!.keypoints.map((k) => k.part);
    expect(parts).toEqual(expect.arrayContaining(['nose', 'leftShoulder', 'rightShoulder']));
    for (const k of found.bodies[0]!.keypoints) expect(inside(k, player)).toBe(true);
  }, 120_000);

  it('boxes both people in the basketball room and an animal on the squirrel photo', async () => {
    const [room, squirrel] = await Promise.all([
      detectSubjects(await decode('basketball'), threadedFaceDetector),
      detectSubjects(await decode('squirrel'), threadedFaceDetector),
    ]);
    // basketball1.png (640×480): one person on the left third, one on the right edge.
    const people = room.objects.filter((o) => o.label === 'person' && o.score >= 0.3);
    expect(people.some((p) => centre(p.box).x < 213)).toBe(true);
    expect(people.some((p) => centre(p.box).x > 427)).toBe(true);
    // squirrel_cls.jpg (535×426): CenterNet has no squirrel class; its nearest animal must box it.
    const animal = squirrel.objects.find((o) => subjectKind(o.label) === 'animal');
    expect(animal).toBeDefined();
    expect(inside(centre(animal!.box), { left: 130, top: 120, width: 260, height: 280 })).toBe(true);
    expect(squirrel.bodies).toEqual([]);
  }, 120_000);

  it('finds nothing in a flat image, and no pose on a photo without people', async () => {
    const flat: RawImage = {
      data: Buffer.alloc(320 * 240 * 3, 128),
      width: 320,
      height: 240,
      channels: 3,
      scale: 1,
    };
    expect(await detectSubjects(flat, threadedFaceDetector)).toEqual({ faces: [], objects: [], bodies: [] });
    for (const name of ['building', 'circuitBoard', 'garden'] as const) {
      expect((await detectSubjects(await decode(name), threadedFaceDetector)).bodies).toEqual([]);
    }
  }, 120_000);
});
