import type { RealPhotoName } from '../../../../../../../test/support/real-photos.ts';

/**
 * Where the erase quality test and bench cut a 64×64 hole in each real photograph: inside a
 * region of one texture (chosen by looking at the photos), so the original pixels there are what
 * a good fill should resemble. Each hole's own texture is about as busy as the 64 px around it
 * (Laplacian std inside ÷ around: 0.8–1.3): a fill can only take texture from the surroundings,
 * so a hole over a locally busier patch (a cluster of blade edges, a darker knot of grain) would
 * measure the photo, not the fill. `why` says what the hole covers. scikit-image's photos are
 * left out on purpose (kept for an independent check).
 */
export interface PhotoHole {
  photo: RealPhotoName;
  /** Top-left corner of the 64×64 hole, in the photo's own pixels. */
  x: number;
  y: number;
  why: string;
}

export const HOLE_SIZE = 64;

export const PHOTO_HOLES: readonly PhotoHole[] = [
  { photo: 'grass', x: 600, y: 600, why: 'in-focus grass blades with their light edges' },
  { photo: 'dune', x: 700, y: 800, why: 'a tangle of thin dry dune-grass stems' },
  { photo: 'wood', x: 1100, y: 900, why: 'weathered board, fine dark grain lines (in the sharp band)' },
  { photo: 'leaf', x: 300, y: 420, why: 'leaf surface with fine parallel striations and a vein beside' },
  { photo: 'raindrops', x: 800, y: 1000, why: 'smooth leaf blade with faint veins, between the drops' },
  { photo: 'baboon', x: 24, y: 160, why: 'cheek fur, dense fine hairs' },
  { photo: 'street', x: 200, y: 460, why: 'cobblestones in perspective' },
  { photo: 'street', x: 60, y: 210, why: 'brick wall between windows, mortar lines' },
  { photo: 'aerial', x: 400, y: 110, why: 'houses among trees seen from above' },
  { photo: 'toys', x: 430, y: 100, why: 'knitted orange wool, regular stitches' },
  { photo: 'toys', x: 60, y: 200, why: 'striped blue fabric with its weave' },
];
