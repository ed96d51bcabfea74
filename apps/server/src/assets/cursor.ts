import { badRequest } from '../errors.ts';

export type KeysetSort = 'created_at' | 'updated_at' | 'cost' | 'file_size' | 'title';

/**
 * Keyset position after the last row of a page: the sort key's value and the id breaking ties.
 * New rows never shift it (unlike an offset), so paging through a library while images are being
 * generated neither repeats nor skips anything.
 */
export interface Cursor {
  sort: KeysetSort;
  order: 'asc' | 'desc';
  value: string | number;
  id: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.value, cursor.id])).toString(
    'base64url',
  );
}

export function decodeCursor(text: string, sort: KeysetSort, order: 'asc' | 'desc'): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) {
    throw invalidCursor();
  }
  const [s, o, value, id] = parsed as unknown[];
  if (s !== sort || o !== order) {
    throw badRequest('The cursor belongs to another sort order; start again without a cursor.', {
      cursor_sort: s,
      cursor_order: o,
    });
  }
  const numeric = sort === 'cost' || sort === 'file_size';
  const valueOk = numeric ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string';
  if (!valueOk || typeof id !== 'number' || !Number.isInteger(id)) {
    throw invalidCursor();
  }
  return { sort, order, value: value as string | number, id };
}

const invalidCursor = () => badRequest('The cursor is not valid; start again without a cursor.');
