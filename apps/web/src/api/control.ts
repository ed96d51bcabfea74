import { accepted, type BodyOf, client, ok } from './client.ts';
import { multipart } from './multipart.ts';
import type { ImageUpload } from './studio.ts';

type ControlBody = BodyOf<'/api/image-studio/control'>;
export type ControlOperation = ControlBody['operation'];
export type ControlOperationsT = Awaited<ReturnType<typeof control.operations>>;
export type ControlOperationInfo = ControlOperationsT['operations'][string];
export type ControlAspect = NonNullable<ControlBody['aspect_ratio']>;
export type JobAcceptedT = Awaited<ReturnType<typeof control.start>>;

/** Everything but the images and `async`; defaults may be left out. */
export type ControlFields = Omit<
  ControlBody,
  'control_image_base64' | 'asset_id' | 'style_image_base64' | 'style_asset_id' | 'async'
>;

export const control = {
  /** Each operation with its fields and defaults, whether the caller can run it, and its price. */
  operations: () => ok(client.GET('/api/image-studio/control/operations')),
  /** Starts a control job; the answer is the job to follow (202). Files go as multipart parts, assets by id. */
  start: (controlImage: ImageUpload, style: ImageUpload | null, fields: ControlFields) => {
    const body = {
      ...fields,
      ...(controlImage.kind === 'asset' ? { asset_id: controlImage.assetId } : {}),
      ...(style?.kind === 'asset' ? { style_asset_id: style.assetId } : {}),
      async: true,
    };
    const files = {
      file: controlImage.kind === 'file' ? controlImage.file : null,
      style_image: style?.kind === 'file' ? style.file : null,
    };
    return accepted(
      files.file || files.style_image
        ? client.POST('/api/image-studio/control', { body, bodySerializer: multipart(files) })
        : client.POST('/api/image-studio/control', { body }),
    );
  },
};
