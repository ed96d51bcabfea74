import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { databaseUnavailable } from '../db/database-errors.ts';
import { AppError, isAppError } from '../errors.ts';
import { BlobNotFoundError } from '../storage/blob-store.ts';

const FASTIFY_CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { issue?: { path?: PropertyKey[] }; origin?: string };
}

/**
 * A path id too large for any row (ids are int4 on PostgreSQL) names something that cannot exist:
 * that is a 404, as for any other id nobody has, not a complaint about the request's form.
 */
function namesNoRow(issues: ValidationIssue[], context: string | undefined): boolean {
  return (
    context === 'params' &&
    issues.length > 0 &&
    issues.every((v) => v.keyword === 'too_big' && v.params?.origin === 'number')
  );
}

function fieldPath(issue: ValidationIssue, context: string | undefined): string {
  const zodPath = issue.params?.issue?.path;
  const tail =
    zodPath && zodPath.length > 0
      ? zodPath.map(String).join('.')
      : (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  return [context, tail].filter((s) => s && s.length > 0).join('.');
}

/**
 * Fastify's body parser and busboy report what the client sent wrong with their own codes or only a
 * message; these name them for clients.
 */
function clientFault(error: Partial<FastifyError>): AppError | undefined {
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    const reason = error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'is empty' : 'is not valid JSON';
    return new AppError(
      400,
      'invalid_json',
      `The request body ${reason} (content-type is application/json).`,
    );
  }
  const message = error.message ?? '';
  if (error.code === 'FST_MP_PREMATURE_CLOSE' || /unexpected end of multipart data/i.test(message)) {
    return new AppError(
      400,
      'multipart_truncated',
      'The multipart body ended before its closing boundary; the upload was cut short.',
    );
  }
  if (/^Multipart: Boundary not found|^Boundary required/.test(message)) {
    return new AppError(400, 'multipart_malformed', 'The multipart content-type has no boundary.');
  }
  return undefined;
}

/** Maps every thrown error to the one JSON error shape; never sends a stack trace. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) {
    return error;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    if (namesNoRow(error.validation as ValidationIssue[], error.validationContext)) {
      return new AppError(404, 'not_found', 'Nothing with that id exists.');
    }
    const issues = (error.validation as ValidationIssue[]).map((v) => ({
      path: fieldPath(v, error.validationContext),
      message: v.message ?? 'Invalid value.',
    }));
    const first = issues[0];
    const message = first ? `${first.path || 'request'}: ${first.message}` : 'Invalid request.';
    return new AppError(400, 'validation_failed', message, { issues });
  }
  if (error instanceof BlobNotFoundError) {
    return new AppError(500, 'blob_missing', 'The stored file for this asset is missing.');
  }
  const busy = databaseUnavailable(error);
  if (busy) return busy;
  const fe = error as Partial<FastifyError>;
  const named = clientFault(fe);
  if (named) return named;
  // PostgreSQL refuses NUL in text (22021) and in JSON (22P05); the schemas refuse it first, this
  // covers text that reaches a query another way (a multipart field, a file name).
  if (fe.code === '22021' || fe.code === '22P05') {
    return new AppError(400, 'invalid_text', 'Text must be valid Unicode without NUL characters.');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const status = fe.statusCode;
    return new AppError(status, FASTIFY_CODES[status] ?? 'bad_request', fe.message ?? 'Bad request.');
  }
  return new AppError(500, 'internal_error', 'Internal server error.');
}

export function errorBody(error: AppError, requestId: string) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
    requestId,
  };
}

export async function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: appError.code, status: appError.status }, appError.message);
  }
  if (appError.headers) {
    void reply.headers(appError.headers);
  }
  return reply.status(appError.status).send(errorBody(appError, request.id));
}
