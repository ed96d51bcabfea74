import type { RouteOp } from './harness.ts';

/**
 * How to hand one image to each route that accepts images: which JSON field carries it (beside the
 * fields that make the rest of the request valid) and which multipart part, if any. `batch` routes
 * answer 200 with the failure in the item, as the original API did.
 */
export interface ImageSlot {
  method: 'POST';
  url: string;
  /** A label when one route has several image slots. */
  slot: string;
  json: (image: string, valid: string) => Record<string, unknown>;
  multipart?: { file: string; fields: Record<string, string> };
  batch?: boolean;
  /** File parts one request may carry, where the route allows more than the server-wide 4. */
  maxFiles?: number;
}

const post = (url: string, slot: Omit<ImageSlot, 'method' | 'url'>): ImageSlot => ({
  method: 'POST',
  url,
  ...slot,
});

const edits = ['/api/image-studio/edit', '/api/image-studio/edit/process'].flatMap((url) => [
  post(url, {
    slot: 'image',
    json: (image) => ({ image_base64: image, operation: 'remove_background' }),
    multipart: { file: 'file', fields: { operation: 'remove_background' } },
  }),
  post(url, {
    slot: 'mask',
    json: (image, valid) => ({ image_base64: valid, mask_base64: image, operation: 'erase' }),
  }),
  post(url, {
    slot: 'background',
    json: (image, valid) => ({
      image_base64: valid,
      background_image_base64: image,
      operation: 'replace_background',
      provider: 'local',
    }),
  }),
]);

const controls = ['/api/image-studio/control', '/api/image-studio/control/process'].flatMap((url) => [
  post(url, {
    slot: 'control image',
    json: (image) => ({ control_image_base64: image, operation: 'sketch', prompt: 'a lighthouse' }),
    multipart: { file: 'file', fields: { operation: 'sketch', prompt: 'a lighthouse' } },
  }),
  post(url, {
    slot: 'style image',
    json: (image, valid) => ({
      control_image_base64: valid,
      style_image_base64: image,
      operation: 'style_transfer',
      prompt: 'a lighthouse',
    }),
  }),
]);

export const IMAGE_SLOTS: readonly ImageSlot[] = [
  post('/api/content-assets/upload', {
    slot: 'image',
    json: (image) => ({ image_base64: image }),
    multipart: { file: 'file', fields: { title: 'hostile' } },
  }),
  post('/api/image-studio/save-to-library', { slot: 'image', json: (image) => ({ image_base64: image }) }),
  post('/api/image-studio/create', {
    slot: 'reference image',
    json: (image) => ({
      prompt: 'a lighthouse',
      provider: 'stability',
      model: 'sd3.5-large',
      reference_image_base64: image,
    }),
  }),
  ...edits,
  post('/api/image-studio/upscale', {
    slot: 'image',
    json: (image) => ({ image_base64: image, preset: 'social', provider: 'local' }),
    multipart: { file: 'file', fields: { preset: 'social', provider: 'local' } },
  }),
  ...controls,
  post('/api/image-studio/social/optimize', {
    slot: 'image',
    json: (image) => ({ image_base64: image, platforms: ['instagram'] }),
    multipart: { file: 'file', fields: { platforms: 'instagram' } },
  }),
  post('/api/image-studio/social/preview', {
    slot: 'image',
    json: (image) => ({ image_base64: image, platforms: ['instagram'] }),
    multipart: { file: 'file', fields: { platforms: 'instagram' } },
  }),
  post('/api/image-studio/social/campaign', {
    slot: 'image',
    json: (image) => ({ images: [{ image_base64: image }], platforms: ['instagram'] }),
    multipart: { file: 'files', fields: { platforms: 'instagram' } },
    // SOCIAL_CAMPAIGN_MAX_SOURCES (10) + 1, so one too many sources hears why.
    maxFiles: 11,
  }),
  post('/api/image-studio/compress', {
    slot: 'image',
    json: (image) => ({ image_base64: image }),
    multipart: { file: 'file', fields: { quality: '80' } },
  }),
  post('/api/image-studio/convert-format', {
    slot: 'image',
    json: (image) => ({ image_base64: image, target_format: 'png' }),
    multipart: { file: 'file', fields: { target_format: 'png' } },
  }),
  post('/api/image-studio/compress/estimate', {
    slot: 'image',
    json: (image) => ({ image_base64: image }),
    multipart: { file: 'file', fields: { format: 'webp' } },
  }),
  post('/api/image-studio/compress/batch', {
    slot: 'image',
    json: (image) => ({ images: [{ image_base64: image }] }),
    batch: true,
  }),
  post('/api/image-studio/convert-format/batch', {
    slot: 'image',
    json: (image) => ({ images: [{ image_base64: image, target_format: 'webp' }] }),
    batch: true,
  }),
];

/** A route takes an image when its schema or its documentation names a base64 field or multipart. */
export const takesImages = (op: RouteOp) => /_base64|multipart/i.test(op.text);
