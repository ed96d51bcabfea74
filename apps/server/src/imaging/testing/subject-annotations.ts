import type { RealPhotoName } from '../../../../../test/support/real-photos.ts';
import type { Rect } from '../geometry.ts';
import type { SubjectKind } from '../objects.ts';

/** The main subject of one real photo, boxed by hand in source pixels. */
export interface SubjectAnnotation {
  photo: RealPhotoName;
  kind: SubjectKind;
  label: string;
  box: Rect;
  /** What the box holds and where its edges were read (from a 50/100/200 px grid over the photo). */
  why: string;
}

/**
 * The smart-crop quality set: real photos with a subject a designer would not cut. People are
 * boxed by head and shoulders (what a crop must keep), animals whole, objects by the part that
 * makes the picture. Photos without a subject (grass, wood, aerial, a street) are left out: any
 * crop keeps nothing there. Boxes were drawn looking at the photos, not at any detector's output.
 */
export const SUBJECT_ANNOTATIONS: readonly SubjectAnnotation[] = [
  {
    photo: 'footballer',
    kind: 'person',
    label: 'person',
    box: { left: 158, top: 60, width: 152, height: 110 },
    why: 'the player’s head and shoulders: hair from y≈62, shoulder seams at x≈160 and x≈308, shoulder line down to y≈165',
  },
  {
    photo: 'basketball',
    kind: 'person',
    label: 'person',
    box: { left: 36, top: 78, width: 94, height: 94 },
    why: 'the man facing the camera on the left: head x 55–105, y 80–140, shoulders x 37–128 down to y≈170 (the man at the right edge shows his back)',
  },
  {
    photo: 'faces',
    kind: 'person',
    label: 'person',
    box: { left: 80, top: 400, width: 1030, height: 225 },
    why: 'the row of heads in the group photo: tallest hair at y≈405, lowest chin at y≈620, leftmost face at x≈90, rightmost at x≈1100 (the thumbnail strip above is not the subject)',
  },
  {
    photo: 'squirrel',
    kind: 'animal',
    label: 'squirrel',
    box: { left: 130, top: 105, width: 230, height: 255 },
    why: 'the whole squirrel: tail tip at x≈130, y≈105, nose at x≈358, paws and belly down to y≈355',
  },
  {
    photo: 'butterfly',
    kind: 'animal',
    label: 'butterfly',
    box: { left: 5, top: 90, width: 475, height: 222 },
    why: 'both wings: tips at x≈5 and x≈478, top edge y≈95, tail lobes down to y≈310 (antennae left out)',
  },
  {
    photo: 'dog',
    kind: 'animal',
    label: 'dog',
    box: { left: 100, top: 30, width: 395, height: 320 },
    why: 'the dog’s head, ear to ear (x≈100–495), crown at y≈30 to the chin and tongue at y≈345; its body fills the rest of the frame',
  },
  {
    photo: 'ladybird',
    kind: 'animal',
    label: 'ladybird',
    box: { left: 1665, top: 690, width: 250, height: 275 },
    why: 'the ladybird on the stem: shell x≈1670–1910 from y≈690, legs down to y≈960',
  },
  {
    photo: 'baboon',
    kind: 'animal',
    label: 'mandrill',
    box: { left: 115, top: 35, width: 280, height: 420 },
    why: 'the mandrill’s face: eyes at y≈40–85, blue cheeks x≈120–390, nose and mouth down to y≈450',
  },
  {
    photo: 'apple',
    kind: 'object',
    label: 'apple',
    box: { left: 50, top: 15, width: 412, height: 485 },
    why: 'the apple with its stalk: x≈50–462, stalk tip y≈15, base y≈500',
  },
  {
    photo: 'fruits',
    kind: 'object',
    label: 'orange',
    box: { left: 74, top: 40, width: 272, height: 432 },
    why: 'the orange wedge in the middle: x≈75–345, tip at y≈42, rind at y≈470',
  },
  {
    photo: 'pottedPlant',
    kind: 'object',
    label: 'potted plant',
    box: { left: 700, top: 590, width: 370, height: 495 },
    why: 'the pot and the rosette’s base: pot x≈710–1065, y≈800–1085, base of the leaves from y≈590 (the leaves themselves reach every edge)',
  },
  {
    photo: 'toys',
    kind: 'object',
    label: 'toy whale',
    box: { left: 216, top: 88, width: 104, height: 98 },
    why: 'the green rubber whale: x≈218–318, y≈90–185',
  },
  {
    photo: 'garden',
    kind: 'object',
    label: 'flower',
    box: { left: 1440, top: 290, width: 680, height: 620 },
    why: 'the marigold’s heart (stamens and inner petals): x≈1440–2120, y≈290–910; the outer petals reach the right edge',
  },
  {
    photo: 'yellowFlower',
    kind: 'object',
    label: 'flower',
    box: { left: 1880, top: 980, width: 680, height: 620 },
    why: 'the flower’s disc in the bottom-right corner: stamens from x≈1880 and y≈980 to both edges',
  },
  {
    photo: 'dandelion',
    kind: 'object',
    label: 'dandelion seeds',
    box: { left: 820, top: 390, width: 1600, height: 620 },
    why: 'the two seed tufts: filaments x≈820–2420, y≈390–1010 (stalks and the bud below are not the subject)',
  },
  {
    photo: 'building',
    kind: 'object',
    label: 'building',
    box: { left: 150, top: 0, width: 718, height: 540 },
    why: 'the hotel: facade from x≈150 to the right edge, roof above the frame, ground floor down to y≈540',
  },
];
