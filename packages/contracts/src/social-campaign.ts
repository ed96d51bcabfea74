import { z } from 'zod';
import { Base64Image, CoercedId } from './common.ts';
import { SocialOptimizeRequest } from './social.ts';

/*
 * A campaign: several source images through the same formats in one run. Sources are images in
 * JSON (`images`), files (multipart, each as a `files` part) and/or library images (`asset_ids`),
 * in that order; the answer is one ZIP
 * with a folder per source. It always runs as a `social` job; a large one answers 202 at once.
 */

export const SocialCampaignRequest = SocialOptimizeRequest.omit({
  image_base64: true,
  asset_id: true,
  include_base64: true,
  show_safe_zones: true,
  crops: true,
})
  .extend({
    images: z
      .array(
        z.object({
          image_base64: Base64Image.describe('Raw base64 or a data URL.'),
          name: z.string().max(200).optional().describe("Names the source's folder in the ZIP."),
        }),
      )
      .max(100)
      .default([])
      .describe('Sources in JSON, before any uploaded `files` parts.'),
    asset_ids: z
      .array(CoercedId)
      .max(100)
      .default([])
      .describe('Library images to use as sources, besides any uploaded `files` parts.'),
    async: z
      .boolean()
      .default(false)
      .describe('Answer 202 with the job at once (a large campaign always does).'),
  })
  .meta({ id: 'SocialCampaignRequest' });
export type SocialCampaignRequest = z.infer<typeof SocialCampaignRequest>;

export const SocialCampaignQuery = z.object({
  download: z
    .enum(['zip'])
    .optional()
    .describe('`zip`: a synchronous run answers with the ZIP instead of JSON.'),
});

export const SocialCampaignJobInput = z.object({
  sources: z
    .array(z.object({ assetId: z.number().int(), folder: z.string() }))
    .min(1)
    .describe('In order; each folder name already unique and safe.'),
  platforms: z.array(z.string()),
  formatNames: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  allFormats: z.boolean(),
  cropMode: z.string(),
  focalPoint: z.object({ x: z.number(), y: z.number() }).nullable(),
  outputFormat: z.string(),
  quality: z.number().int().optional(),
  fitBackground: z.enum(['blur', 'color', 'extend']),
  backgroundColor: z.string(),
  burnSafeZones: z.boolean(),
});
export type SocialCampaignJobInput = z.infer<typeof SocialCampaignJobInput>;

export const SocialCampaignJobResult = z
  .object({
    sources: z.array(
      z.object({
        folder: z.string().describe('The folder of this source in the ZIP.'),
        source_asset_id: z.number().int(),
        width: z.number().int(),
        height: z.number().int(),
        results: z.array(
          z.object({
            platform: z.string(),
            format: z.string(),
            format_id: z.string(),
            asset_id: z.number().int(),
            file: z.string().describe('Path inside the ZIP: `<folder>/<file>`.'),
            width: z.number().int(),
            height: z.number().int(),
            mime_type: z.string(),
            file_size: z.number().int(),
          }),
        ),
        failures: z.array(z.object({ format_id: z.string(), code: z.string(), message: z.string() })),
      }),
    ),
    total_optimized: z.number().int(),
    zip_url: z.string(),
  })
  .meta({ id: 'SocialCampaignJobResult' });
export type SocialCampaignJobResult = z.infer<typeof SocialCampaignJobResult>;

export const SocialCampaignResponse = SocialCampaignJobResult.extend({
  success: z.literal(true),
  job_id: z.string(),
  warnings: z.array(z.string()),
}).meta({ id: 'SocialCampaignResponse' });

export const SocialCampaignZipParam = z.object({
  file: z
    .string()
    .max(60)
    .regex(/^[0-9a-f-]{36}\.zip$/, 'Expected <job_id>.zip'),
});
