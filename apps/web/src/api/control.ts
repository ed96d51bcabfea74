import type { ControlImageRequest, ControlOperationsResponse, JobAccepted } from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';
import { appendFields, type ImageUpload } from './studio.ts';

export type ControlOperation = ControlImageRequest['operation'];
export type ControlOperationsT = z.infer<typeof ControlOperationsResponse>;
export type ControlOperationInfo = ControlOperationsT['operations'][string];
export type ControlAspect = NonNullable<ControlImageRequest['aspect_ratio']>;
export type JobAcceptedT = z.infer<typeof JobAccepted>;

/** Everything but the images and `async`; defaults may be left out. */
export type ControlFields = Partial<
  Omit<
    ControlImageRequest,
    'control_image_base64' | 'asset_id' | 'style_image_base64' | 'style_asset_id' | 'async'
  >
> &
  Pick<ControlImageRequest, 'operation' | 'prompt'>;

/** Files go as multipart parts (`file`, `style_image`); library assets by id. */
function body(control: ImageUpload, style: ImageUpload | null, fields: ControlFields): FormData | object {
  const ids = {
    ...(control.kind === 'asset' ? { asset_id: control.assetId } : {}),
    ...(style?.kind === 'asset' ? { style_asset_id: style.assetId } : {}),
    ...fields,
    async: true,
  };
  if (control.kind === 'asset' && style?.kind !== 'file') {
    return ids;
  }
  const form = new FormData();
  if (control.kind === 'file') {
    form.append('file', control.file);
  }
  if (style?.kind === 'file') {
    form.append('style_image', style.file);
  }
  return appendFields(form, ids);
}

export const control = {
  /** Each operation with its fields and defaults, whether the caller can run it, and its price. */
  operations: () => api<ControlOperationsT>('/api/image-studio/control/operations'),
  /** Starts a control job; the answer is the job to follow (202). */
  start: (controlImage: ImageUpload, style: ImageUpload | null, fields: ControlFields) =>
    api<JobAcceptedT>('/api/image-studio/control', {
      method: 'POST',
      body: body(controlImage, style, fields),
    }),
};
