import { AppError } from '../errors.ts';

// SQLite: another process holds the write lock past the busy timeout. PostgreSQL: the server is
// shutting down or restarting (57P01–57P03), refuses more connections (53300), or the connection is gone.
const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
]);
const LOST_CONNECTION =
  /Connection terminated|connection to server .* closed|Client has encountered a connection error|timeout exceeded when trying to connect/i;

/**
 * A database that is busy or restarting is a passing condition, not a defect: it gets a stable 503 a
 * client may retry, instead of the bare `internal_error` of an unknown failure.
 */
export function databaseUnavailable(e: unknown): AppError | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  if ((code && BUSY_CODES.has(code)) || LOST_CONNECTION.test(e.message)) {
    return new AppError(
      503,
      'database_busy',
      'The database is busy or restarting; try again in a moment.',
      undefined,
      { 'retry-after': '5' },
    );
  }
  return undefined;
}
