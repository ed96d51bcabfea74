import { accepted, type BodyOf, client, ok } from './client.ts';
import { multipart } from './multipart.ts';
import type { ImageUpload } from './studio.ts';

type EditBody = BodyOf<'/api/image-studio/edit'>;
export type EditOperation = EditBody['operation'];
export type EditOperationsT = Awaited<ReturnType<typeof edit.operations>>;
export type EditOperationInfo = EditOperationsT['operations'][string];
export type JobAcceptedT = Awaited<ReturnType<typeof edit.start>>;

/** Everything but the image, the mask and `async`; defaults may be left out. */
export type EditFields = Omit<
  EditBody,
  'image_base64' | 'asset_id' | 'mask_base64' | 'mask_asset_id' | 'async'
>;

/** The image to edit: a file from the user's disk (sent as multipart) or a library asset. */
export type EditSource = ImageUpload;

function base64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the image.'));
    reader.readAsDataURL(blob);
  });
}

export const edit = {
  /** Each operation with its fields, who can run it now, and its price. */
  operations: () => ok(client.GET('/api/image-studio/edit/operations')),
  /**
   * Starts an edit job; the answer is the job to follow (202). The mask is a PNG, white = edit; the
   * background is replace background's or relight's new background image.
   */
  start: async (source: EditSource, fields: EditFields, mask: Blob | null, background: File | null = null) =>
    accepted(
      source.kind === 'file'
        ? client.POST('/api/image-studio/edit', {
            body: { ...fields, async: true },
            bodySerializer: multipart({
              file: source.file,
              mask: mask && { blob: mask, name: 'mask.png' },
              background_image: background,
            }),
          })
        : client.POST('/api/image-studio/edit', {
            body: {
              ...fields,
              asset_id: source.assetId,
              ...(mask ? { mask_base64: await base64(mask) } : {}),
              ...(background ? { background_image_base64: await base64(background) } : {}),
              async: true,
            },
          }),
    ),
};
