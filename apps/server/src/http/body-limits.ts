import type { RouteOptions } from 'fastify';
import type { Config } from '../config.ts';

/** Any route's body unless it is listed below: JSON without images (settings, prompts, id lists). */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Sign-in and first-run setup are public: an email and a password, nothing more. */
export const CREDENTIALS_BODY_LIMIT = 8 * 1024;

/** Three images at the upload limit in base64, plus room for the other fields. */
export const imageBodyLimit = (limits: Config['limits']): number =>
  Math.ceil((limits.maxUploadBytes * 4) / 3) * 3 + 1024 * 1024;

/**
 * An `onRoute` hook: gives the routes that declare `config.imageBody` the large limit. Every other
 * route keeps the server's small default or its own smaller one. Only authenticated callers reach a
 * body: the auth hook answers before any is read. Multipart uploads are bounded by the multipart
 * limits instead (MAX_UPLOAD_MB per file).
 */
export function imageRouteBodyLimits(limits: Config['limits']) {
  const large = imageBodyLimit(limits);
  return (route: RouteOptions): void => {
    if (route.config?.imageBody) {
      route.bodyLimit = large;
    }
  };
}
