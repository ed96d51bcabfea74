import { type BodyOf, client, ok } from './client.ts';
import { multipart } from './multipart.ts';
import type { ImageUpload } from './studio.ts';

export type SocialPlatformsT = Awaited<ReturnType<typeof social.platforms>>;
export type SocialPlatformT = SocialPlatformsT['platforms'][number];
export type SocialFormatT = SocialPlatformT['formats'][number];
export type SocialOptimizeT = Awaited<ReturnType<typeof social.optimize>>;
export type SocialResultT = SocialOptimizeT['results'][number];
export type SocialRect = SocialResultT['crop'];

/** Everything but the image; defaults may be left out. */
export type SocialOptions = Omit<BodyOf<'/api/image-studio/social/optimize'>, 'image_base64' | 'asset_id'>;

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
};
