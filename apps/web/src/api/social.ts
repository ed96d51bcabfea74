import type {
  SocialOptimizeRequest,
  SocialOptimizeResponse,
  SocialPlatformsResponse,
} from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';
import type { ImageUpload } from './studio.ts';

export type SocialPlatformsT = z.infer<typeof SocialPlatformsResponse>;
export type SocialPlatformT = SocialPlatformsT['platforms'][number];
export type SocialFormatT = SocialPlatformT['formats'][number];
export type SocialOptimizeT = z.infer<typeof SocialOptimizeResponse>;
export type SocialResultT = SocialOptimizeT['results'][number];
export type SocialRect = SocialResultT['crop'];

/** Everything but the image; defaults may be left out. */
export type SocialOptions = Partial<Omit<SocialOptimizeRequest, 'image_base64' | 'asset_id'>>;

/** The image to optimize: a file from the user's disk (sent as multipart) or a library asset. */
export type SocialSource = ImageUpload;

function multipart(file: File, options: SocialOptions): FormData {
  const form = new FormData();
  form.append('file', file);
  // The server reads arrays, objects, numbers and booleans in form fields as JSON text.
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && value !== null) {
      form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return form;
}

export const social = {
  platforms: () => api<SocialPlatformsT>('/api/image-studio/social/platforms'),
  optimize: (source: SocialSource, options: SocialOptions) =>
    api<SocialOptimizeT>('/api/image-studio/social/optimize', {
      method: 'POST',
      body:
        source.kind === 'file' ? multipart(source.file, options) : { ...options, asset_id: source.assetId },
    }),
};
