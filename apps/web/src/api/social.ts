import { type BodyOf, client, ok } from './client.ts';
import { multipart } from './multipart.ts';
import type { ImageUpload } from './studio.ts';

export type SocialPlatformsT = Awaited<ReturnType<typeof social.platforms>>;
export type SocialPlatformT = SocialPlatformsT['platforms'][number];
export type SocialFormatT = SocialPlatformT['formats'][number];
export type SocialOptimizeT = Awaited<ReturnType<typeof social.optimize>>;
export type SocialResultT = SocialOptimizeT['results'][number];
export type SocialRect = SocialResultT['crop'];
export type SocialPreviewT = Awaited<ReturnType<typeof social.preview>>;
export type SocialPreviewFormatT = SocialPreviewT['formats'][number];
export type SocialCropT = NonNullable<SocialOptions['crops']>[number];

/** Everything but the image; defaults may be left out. */
export type SocialOptions = Omit<BodyOf<'/api/image-studio/social/optimize'>, 'image_base64' | 'asset_id'>;

/** A campaign's options: the optimize options without the per-source ones. */
export type SocialCampaignOptions = Omit<BodyOf<'/api/image-studio/social/campaign'>, 'asset_ids' | 'async'>;

/** The image to optimize: a file from the user's disk (sent as multipart) or a library asset. */
export type SocialSource = ImageUpload;

export const social = {
  platforms: () => ok(client.GET('/api/image-studio/social/platforms')),
  optimize: (source: SocialSource, options: SocialOptions) =>
    ok(
      source.kind === 'file'
        ? client.POST('/api/image-studio/social/optimize', {
            body: options,
            bodySerializer: multipart({ file: source.file }),
          })
        : client.POST('/api/image-studio/social/optimize', {
            body: { ...options, asset_id: source.assetId },
          }),
    ),
  /** The crops an optimize with these options would make; no image bytes come back. */
  preview: (source: SocialSource, options: SocialOptions, signal?: AbortSignal) =>
    ok(
      source.kind === 'file'
        ? client.POST('/api/image-studio/social/preview', {
            body: options,
            bodySerializer: multipart({ file: source.file }),
            signal,
          })
        : client.POST('/api/image-studio/social/preview', {
            body: { ...options, asset_id: source.assetId },
            signal,
          }),
    ),
  /**
   * Several sources through the same formats, as a background job (202): files as `files` parts,
   * in order, then the library images.
   */
  campaign: (files: readonly File[], assetIds: readonly number[], options: SocialCampaignOptions) =>
    ok(
      client.POST('/api/image-studio/social/campaign', {
        body: { ...options, asset_ids: [...assetIds], async: true },
        bodySerializer: (fields) => {
          const form = multipart({})(fields);
          for (const file of files) {
            form.append('files', file);
          }
          return form;
        },
      }),
    ),
  /** The crops last exported from a library image. */
  savedCrops: (assetId: number) =>
    ok(client.GET('/api/image-studio/social/crops', { params: { query: { asset_id: assetId } } })),
};
