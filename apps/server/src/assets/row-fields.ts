import { z } from 'zod';
import { tryParseJson } from '../util/try-parse-json.ts';

const ParamsJson = z.record(z.string(), z.unknown());
const TagsJson = z.array(z.unknown());

/** An asset row's `params` JSON; anything but an object (or unparsable text) reads as empty. */
export function parseParams(text: string): Record<string, unknown> {
  const parsed = ParamsJson.safeParse(tryParseJson(text));
  return parsed.success ? parsed.data : {};
}

/** An asset row's `tags` JSON; entries that are not strings are dropped. */
export function parseTags(text: string): string[] {
  const parsed = TagsJson.safeParse(tryParseJson(text));
  return parsed.success ? parsed.data.filter((t): t is string => typeof t === 'string') : [];
}

/** Tags as stored: trimmed, no empties, each once. */
export const uniqueTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
