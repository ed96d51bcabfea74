import { z } from 'zod';
import { tryParseJson } from '../util/try-parse-json.ts';
import type { JobHandler } from './job.types.ts';

export type ParsedJobInput = { ok: true; value: unknown } | { ok: false; message: string };

/** A row's stored input read through its handler's schema (as is when the handler declares none). */
export function parseJobInput(handler: JobHandler, stored: string): ParsedJobInput {
  const json = tryParseJson(stored);
  if (!handler.input) return json === undefined ? invalid('it is not JSON') : { ok: true, value: json };
  const parsed = handler.input.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : invalid(z.prettifyError(parsed.error));
}

const invalid = (why: string): ParsedJobInput => ({ ok: false, message: why });
