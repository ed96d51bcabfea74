import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invalidImage } from '../imaging/image-errors.ts';

export interface MultipartOptions {
  /** Text fields that may be comma-separated lists (e.g. `platforms=instagram,facebook`). */
  listFields?: readonly string[];
  /** File parts one request may carry (the server-wide multipart limit otherwise). */
  maxFiles?: number;
}

const uploads = new WeakMap<FastifyRequest, Map<string, UploadedFile[]>>();

/**
 * A preValidation hook for routes that also accept multipart: file parts are kept by field name
 * (`uploadedFile`: the first; `uploadedFiles`: all), every other part becomes a field of the JSON body: as text
 * when the route's schema takes it as text (a title "2024" stays a title), else read as JSON (arrays, objects,
 * numbers, booleans). The assembled body then goes through the route's zod schema like a JSON request.
 */
export function multipartBody(options: MultipartOptions = {}) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.isMultipart()) return;
    const schema = request.routeOptions.schema?.body;
    const shape = schema instanceof z.ZodObject ? schema.shape : {};
    const body: Record<string, unknown> = {};
    const files = new Map<string, UploadedFile[]>();
    const parts = options.maxFiles ? request.parts({ limits: { files: options.maxFiles } }) : request.parts();
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // Said here, or it would reach the schema as an empty base64 string and read as a missing field.
        if (bytes.length === 0) throw invalidImage(`The file part "${part.fieldname}" is empty (0 bytes).`);
        const list = files.get(part.fieldname) ?? [];
        list.push({ bytes, filename: titleSafe(part.filename) });
        files.set(part.fieldname, list);
      } else if (typeof part.value === 'string') {
        const field: unknown = shape[part.fieldname];
        body[part.fieldname] =
          field instanceof z.ZodType && field.safeParse(part.value).success
            ? part.value
            : fieldValue(part.value, options.listFields?.includes(part.fieldname) ?? false);
      }
    }
    uploads.set(request, files);
    request.body = body;
  };
}

export interface UploadedFile {
  bytes: Buffer;
  /** As the client named it; only ever used as a title. */
  filename: string;
}

/** A client's file name becomes a title: control characters (NUL included) have no place in one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const titleSafe = (name: string) => name.replace(/[\u0000-\u001f\u007f]/g, '');

/** An uploaded file part, if the request was multipart and had one. */
export const uploadedFile = (request: FastifyRequest, field: string): UploadedFile | undefined =>
  uploads.get(request)?.get(field)?.[0];

/** Every file part of one field, in the order sent (a campaign's `files`). */
export const uploadedFiles = (request: FastifyRequest, field: string): UploadedFile[] =>
  uploads.get(request)?.get(field) ?? [];

function fieldValue(value: string, list: boolean): unknown {
  const v = value.trim();
  if (/^[[{]|^(true|false|null)$|^-?\d+(\.\d+)?$/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return value;
    }
  }
  if (list)
    return v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
  return value;
}
