import type { JobAccepted, UpscaleImageRequest } from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';
import type { ImageUpload } from './studio.ts';

export type UpscaleMode = UpscaleImageRequest['mode'];
export type UpscalePreset = NonNullable<UpscaleImageRequest['preset']>;
export type JobAcceptedT = z.infer<typeof JobAccepted>;

/** Everything but the image and `async`; defaults may be left out. */
export type UpscaleOptions = Partial<Omit<UpscaleImageRequest, 'image_base64' | 'asset_id' | 'async'>>;

/** The image to upscale: a file from the user's disk (sent as multipart) or a library asset. */
export type UpscaleSource = ImageUpload;

/** What a finished `upscale` job holds in `result` (the image itself is the asset). */
export interface UpscaleJobResult {
  asset_id: number;
  input_asset_id: number;
  operation: string;
  provider: string;
  model: string | null;
  width: number;
  height: number;
  mime: string;
  cost_credits: number;
  metadata: Record<string, unknown>;
}

export function isUpscaleResult(value: unknown): value is UpscaleJobResult {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Partial<Record<keyof UpscaleJobResult, unknown>>;
  return (
    typeof v.asset_id === 'number' &&
    typeof v.input_asset_id === 'number' &&
    typeof v.width === 'number' &&
    typeof v.height === 'number' &&
    typeof v.provider === 'string'
  );
}

function multipart(file: File, options: UpscaleOptions): FormData {
  const form = new FormData();
  form.append('file', file);
  // The server reads numbers and booleans in form fields as JSON text.
  for (const [key, value] of Object.entries({ ...options, async: true })) {
    if (value !== undefined && value !== null) {
      form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return form;
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
