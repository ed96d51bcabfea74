import type { RouteOptions } from 'fastify';
import type { Config } from '../config.ts';

/** Any route's body unless it is listed below: JSON without images (settings, prompts, id lists). */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Sign-in and first-run setup are public: an email and a password, nothing more. */
export const CREDENTIALS_BODY_LIMIT = 8 * 1024;

/**
 * The routes that take images inside JSON (base64, the original API's way). Only these read large
 * bodies, and only for an authenticated caller: the auth hook answers before any body is read.
 * Multipart uploads are bounded by the multipart limits instead (MAX_UPLOAD_MB per file).
 */
export const IMAGE_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/content-assets/upload',
  'POST /api/image-studio/save-to-library',
  'POST /api/image-studio/edit',
  'POST /api/image-studio/edit/process',
  'POST /api/image-studio/upscale',
  'POST /api/image-studio/control',
  'POST /api/image-studio/control/process',
  'POST /api/image-studio/social/optimize',
  'POST /api/image-studio/compress',
  'POST /api/image-studio/compress/batch',
  'POST /api/image-studio/compress/estimate',
  'POST /api/image-studio/convert-format',
  'POST /api/image-studio/convert-format/batch',
]);

/** Three images at the upload limit in base64, plus room for the other fields. */
export const imageBodyLimit = (limits: Config['limits']): number =>
  Math.ceil((limits.maxUploadBytes * 4) / 3) * 3 + 1024 * 1024;

/**
 * An `onRoute` hook: gives the listed image routes the large limit. Every other route keeps the
 * server's small default or its own smaller one.
 */
export function imageRouteBodyLimits(limits: Config['limits']) {
  const large = imageBodyLimit(limits);
  return (route: RouteOptions): void => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((m) => IMAGE_ROUTES.has(`${m} ${route.url}`))) {
      route.bodyLimit = large;
    }
  };
}
