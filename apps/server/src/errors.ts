/**
 * The one error type of the server. Every failure a client can see is an AppError with a stable
 * `code`; the error handler in app.ts turns it into `{error: {code, message, details?}, requestId}`.
 * Anything else that escapes is logged and answered as a bare 500 `internal_error`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details);
export const validationFailed = (message: string, details?: unknown) =>
  new AppError(400, 'validation_failed', message, details);
export const unauthorized = (message = 'Authentication required.') =>
  new AppError(401, 'unauthorized', message);
export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'Email or password is incorrect.');
export const accountDisabled = () =>
  new AppError(403, 'account_disabled', 'This account is disabled. Ask an admin to enable it.');
export const forbidden = (message = 'You are not allowed to do this.') =>
  new AppError(403, 'forbidden', message);
export const csrfRejected = () =>
  new AppError(
    403,
    'csrf_rejected',
    'Cross-site request refused: cookie-authenticated writes must come from this site.',
  );
/** Another user's resource is reported as missing, never as forbidden. */
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const payloadTooLarge = (message: string, details?: unknown) =>
  new AppError(413, 'payload_too_large', message, details);
export const unsupportedMediaType = (message: string, details?: unknown) =>
  new AppError(415, 'unsupported_media_type', message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const rateLimited = (message: string, retryAfterSeconds?: number) =>
  new AppError(
    429,
    'rate_limited',
    message,
    retryAfterSeconds === undefined ? undefined : { retry_after: retryAfterSeconds },
    retryAfterSeconds === undefined ? undefined : { 'retry-after': String(Math.ceil(retryAfterSeconds)) },
  );
/** Too many failed sign-ins for one account; the wait doubles with each further failure. */
export const loginLocked = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'login_locked',
    `Too many failed sign-ins for this account. Try again in ${retryAfterSeconds} s.`,
    { retry_after: retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
export const internal = (message = 'Internal server error.') => new AppError(500, 'internal_error', message);
export const serviceUnavailable = (code: string, message: string, details?: unknown) =>
  new AppError(503, code, message, details);
