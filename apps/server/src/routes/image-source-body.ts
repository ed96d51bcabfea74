import type { FastifyRequest } from 'fastify';
import type { ImageSource } from '../assets/image-source.ts';
import { validationFailed } from '../errors.ts';
import { multipartBody, uploadedFile } from '../http/multipart.ts';

/** Multipart parsing for the social and processing routes; `platforms` may repeat as a list. */
export const imageMultipart = multipartBody({ listFields: ['platforms'] });

/** The one image of a JSON or multipart request: exactly one of image_base64, asset_id or `file`. */
export function imageSource(
  request: FastifyRequest,
  body: { image_base64?: string; asset_id?: number },
): ImageSource {
  const file = uploadedFile(request, 'file');
  const given = [body.image_base64 !== undefined, body.asset_id !== undefined, file !== undefined].filter(
    Boolean,
  ).length;
  if (given !== 1) {
    throw validationFailed('Send exactly one image: image_base64, asset_id or a multipart `file`.', {
      issues: [{ path: 'image_base64', message: 'Send exactly one of image_base64, asset_id or file.' }],
    });
  }
  if (file) return { bytes: file.bytes, name: file.filename };
  if (body.asset_id !== undefined) return { assetId: body.asset_id };
  return { base64: body.image_base64 ?? '' };
}

/** A batch item names its image in JSON only. */
export function jsonSource(item: { image_base64?: string; asset_id?: number }): ImageSource {
  if ((item.image_base64 === undefined) === (item.asset_id === undefined)) {
    throw validationFailed('Send exactly one of image_base64 or asset_id.');
  }
  return item.asset_id !== undefined ? { assetId: item.asset_id } : { base64: item.image_base64 ?? '' };
}
