import { z } from 'zod';
import { CoercedId } from './common.ts';

export const PaletteSwatch = z.object({
  hex: z.string().regex(/^#[0-9a-f]{6}$/),
  share: z.number().min(0).max(1).describe("Share of the picture's pixels nearest this colour."),
});

export const AutoTag = z
  .object({
    label: z
      .string()
      .describe("A COCO class name as the detector spells it ('person', 'dog', 'potted plant')."),
    score: z.number().min(0).max(1).describe("The detector's confidence."),
    source: z
      .string()
      .describe('The model that found it: centernet (objects), movenet (bodies), blazeface (faces).'),
  })
  .meta({ id: 'AutoTag' });
export type AutoTag = z.infer<typeof AutoTag>;

/** What the library learned from an asset's pixels; `pending` until the background analysis reaches it. */
export const AssetAnalysis = z
  .object({
    asset_id: z.number().int(),
    status: z.enum(['pending', 'done', 'failed']),
    phash: z.string().nullable().describe('64-bit difference hash, 16 hex digits.'),
    palette: z.array(PaletteSwatch),
    text: z
      .string()
      .nullable()
      .describe('Text read in the image (OCR), lines in reading order; null when none was found.'),
    auto_tags: z
      .array(AutoTag)
      .describe(
        "Objects and people found, best first, apart from the user's tags; removed ones are left out.",
      ),
    error: z.string().nullable(),
    analyzed_at: z.string().nullable(),
  })
  .meta({ id: 'AssetAnalysis' });
export type AssetAnalysis = z.infer<typeof AssetAnalysis>;

export const DuplicateGroup = z.object({
  kind: z.enum(['exact', 'similar']),
  asset_ids: z.array(z.number().int()).describe('Oldest first.'),
  sha256: z.string().nullable().describe('The shared bytes of an exact group.'),
  max_distance: z
    .number()
    .int()
    .describe('Largest hash distance (bits of 64) within the group; 0 when exact.'),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroup>;

export const DuplicateList = z
  .object({
    groups: z.array(DuplicateGroup),
    pending: z
      .number()
      .int()
      .describe('Live images not analysed yet (not in similar groups until they are).'),
  })
  .meta({ id: 'DuplicateList' });
export type DuplicateList = z.infer<typeof DuplicateList>;

export const AutoTagParams = z.object({ id: CoercedId, label: z.string().min(1).max(64) });
