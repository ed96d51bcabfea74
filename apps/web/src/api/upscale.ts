import { accepted, type BodyOf, client } from './client.ts';
import { multipart } from './multipart.ts';
import type { ImageUpload } from './studio.ts';

type UpscaleBody = BodyOf<'/api/image-studio/upscale'>;
export type UpscaleMode = NonNullable<UpscaleBody['mode']>;
export type UpscalePreset = NonNullable<UpscaleBody['preset']>;
export type JobAcceptedT = Awaited<ReturnType<typeof upscale.start>>;

/** Everything but the image and `async`; defaults may be left out. */
export type UpscaleOptions = Omit<UpscaleBody, 'image_base64' | 'asset_id' | 'async'>;

/** The image to upscale: a file from the user's disk (sent as multipart) or a library asset. */
export type UpscaleSource = ImageUpload;

export const upscale = {
  /** Starts an upscale job; the answer is the job to follow (202). */
  start: (source: UpscaleSource, options: UpscaleOptions) =>
    accepted(
      source.kind === 'file'
        ? client.POST('/api/image-studio/upscale', {
            body: { ...options, async: true },
            bodySerializer: multipart({ file: source.file }),
          })
        : client.POST('/api/image-studio/upscale', {
            body: { ...options, asset_id: source.assetId, async: true },
          }),
    ),
};
