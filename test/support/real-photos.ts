import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../../apps/server/src/imaging/local/package-dir.ts';

/**
 * Real photographs for quality tests and benchmarks, taken from Debian packages that `.ci/run`
 * installs (mate-backgrounds, opencv-doc) and from npm packages already in the tree. Quality bounds
 * measured on the project's own synthetic images flattered the offline models; these are real
 * camera pictures with real texture and real subjects. scikit-image's sample photos are kept out on
 * purpose: they are reserved for an independent check of the offline models.
 */

const MATE = '/usr/share/backgrounds/mate';
const OPENCV = '/usr/share/doc/opencv-doc/examples/data';
// The package's `exports` map hides package.json, so its folder is found from the entry point.
const humanAssets = () => join(packageDir('@vladmandic/human'), 'assets');

export interface RealPhoto {
  path: () => string;
  /** The package that ships it, so a missing file names what to install. */
  from: 'mate-backgrounds' | 'opencv-doc' | '@vladmandic/human';
  what: string;
}

const mate = (file: string, what: string): RealPhoto => ({
  path: () => join(MATE, file),
  from: 'mate-backgrounds',
  what,
});
const opencv = (file: string, what: string): RealPhoto => ({
  path: () => join(OPENCV, file),
  from: 'opencv-doc',
  what,
});

export const REAL_PHOTOS = {
  grass: mate('nature/GreenMeadow.jpg', 'close-up of grass blades, 1280×1024'),
  dune: mate('nature/Dune.jpg', 'dune grass against sea and sky, 1680×1050'),
  wood: mate('nature/Wood.jpg', 'wooden boards, fine grain, 2560×1920'),
  leaf: mate('nature/Blinds.jpg', 'leaf veins, 1920×1200'),
  raindrops: mate('nature/RainDrops.jpg', 'leaves with water drops, 1920×1200'),
  garden: mate('nature/Garden.jpg', 'red flower, blurred background, 2560×1600'),
  ladybird: mate('nature/LadyBird.jpg', 'ladybird on a stem among flowers, 2560×1600'),
  yellowFlower: mate('nature/YellowFlower.jpg', 'yellow flower at the right edge, 2560×1600'),
  dandelion: mate('nature/TwoWings.jpg', 'two dandelion seeds before a blurred marigold, 2560×1600'),
  squirrel: opencv('squirrel_cls.jpg', 'a squirrel on a branch, 535×426'),
  footballer: opencv('messi5.jpg', 'a footballer kicking a ball, crowd behind, 548×342'),
  basketball: opencv('basketball1.png', 'two people in a room, greyscale, 640×480'),
  basketball2: opencv('basketball2.png', 'the same two people a moment later, greyscale, 640×480'),
  butterfly: opencv('butterfly.jpg', 'a butterfly on a leaf, 493×356'),
  dog: opencv('chicky_512.png', 'a small dog, 512×512'),
  baboon: opencv('baboon.jpg', 'a mandrill face, fur texture, 512×512'),
  apple: opencv('apple.jpg', 'an apple on a table, 512×512'),
  fruits: opencv('fruits.jpg', 'cut citrus and kiwi, 512×480'),
  pottedPlant: opencv('aloeL.jpg', 'an aloe in a pot, 1282×1110'),
  building: opencv('building.jpg', 'a hotel facade with lawn, 868×600'),
  street: opencv('leuvenA.jpg', 'brick houses and cobblestones, 751×563'),
  aerial: opencv('aero1.jpg', 'aerial view of a town, 640×480'),
  circuitBoard: opencv('board.jpg', 'a circuit board, 640×480'),
  toys: opencv('rubberwhale1.png', 'toys and fabric textures, 584×388'),
  faces: {
    path: () => join(humanAssets(), 'samples.jpg'),
    from: '@vladmandic/human',
    what: "@vladmandic/human's grid of sample portraits",
  },
} satisfies Record<string, RealPhoto>;

export type RealPhotoName = keyof typeof REAL_PHOTOS;

/** Whether every real photo is installed; under CI=true a missing one fails instead of skipping. */
export function hasRealPhotos(): boolean {
  const present = Object.values(REAL_PHOTOS).every((p) => existsSync(p.path()));
  if (!present && process.env.CI === 'true') {
    throw new Error('real photos missing: install mate-backgrounds and opencv-doc (see .ci/run)');
  }
  return present;
}

export function realPhoto(name: RealPhotoName): Buffer {
  const photo: RealPhoto = REAL_PHOTOS[name];
  const path = photo.path();
  if (!existsSync(path)) {
    throw new Error(`real photo ${name} missing: install ${photo.from} (see .ci/run)`);
  }
  return readFileSync(path);
}
