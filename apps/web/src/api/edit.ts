import type { EditImageRequest, EditOperation, EditOperationsResponse, JobAccepted } from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';
import { appendFields, type ImageUpload } from './studio.ts';

export type { EditOperation };
export type EditOperationsT = z.infer<typeof EditOperationsResponse>;
export type EditOperationInfo = EditOperationsT['operations'][string];
export type JobAcceptedT = z.infer<typeof JobAccepted>;

/** Everything but the image, the mask and `async`; defaults may be left out. */
export type EditFields = Partial<
  Omit<EditImageRequest, 'image_base64' | 'asset_id' | 'mask_base64' | 'mask_asset_id' | 'async'>
> &
  Pick<EditImageRequest, 'operation'>;

/** The image to edit: a file from the user's disk (sent as multipart) or a library asset. */
export type EditSource = ImageUpload;

function multipart(file: File, mask: Blob | null, fields: EditFields): FormData {
  const form = new FormData();
  form.append('file', file);
  if (mask) {
    form.append('mask', mask, 'mask.png');
  }
  appendFields(form, { ...fields, async: true });
  return form;
}

function base64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the mask.'));
    reader.readAsDataURL(blob);
  });
}

export const edit = {
  /** Each operation with its fields, who can run it now, and its price. */
  operations: () => api<EditOperationsT>('/api/image-studio/edit/operations'),
  /** Starts an edit job; the answer is the job to follow (202). The mask is a PNG, white = edit. */
  start: async (source: EditSource, fields: EditFields, mask: Blob | null) =>
    api<JobAcceptedT>('/api/image-studio/edit', {
      method: 'POST',
      body:
        source.kind === 'file'
          ? multipart(source.file, mask, fields)
          : {
              ...fields,
              asset_id: source.assetId,
              ...(mask ? { mask_base64: await base64(mask) } : {}),
              async: true,
            },
    }),
};
