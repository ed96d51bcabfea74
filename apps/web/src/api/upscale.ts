import type { JobAccepted, UpscaleImageRequest } from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';
import { appendFields, type ImageUpload } from './studio.ts';

export type UpscaleMode = UpscaleImageRequest['mode'];
export type UpscalePreset = NonNullable<UpscaleImageRequest['preset']>;
export type JobAcceptedT = z.infer<typeof JobAccepted>;

/** Everything but the image and `async`; defaults may be left out. */
export type UpscaleOptions = Partial<Omit<UpscaleImageRequest, 'image_base64' | 'asset_id' | 'async'>>;

/** The image to upscale: a file from the user's disk (sent as multipart) or a library asset. */
export type UpscaleSource = ImageUpload;

function multipart(file: File, options: UpscaleOptions): FormData {
  const form = new FormData();
  form.append('file', file);
  return appendFields(form, { ...options, async: true });
}

export const upscale = {
  /** Starts an upscale job; the answer is the job to follow (202). */
  start: (source: UpscaleSource, options: UpscaleOptions) =>
    api<JobAcceptedT>('/api/image-studio/upscale', {
      method: 'POST',
      body:
        source.kind === 'file'
          ? multipart(source.file, options)
          : { ...options, asset_id: source.assetId, async: true },
    }),
};
