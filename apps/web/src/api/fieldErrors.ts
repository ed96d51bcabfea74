import { ApiError } from './client.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Field messages from a 400 `validation_failed` (details.issues[{path, message}]), keyed by the last path part. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed' || !isRecord(error.details)) {
    return {};
  }
  const issues = error.details.issues;
  const out: Record<string, string> = {};
  for (const issue of Array.isArray(issues) ? issues : []) {
    if (!isRecord(issue) || typeof issue.message !== 'string') {
      continue;
    }
    const path = Array.isArray(issue.path) ? issue.path.join('.') : issue.path;
    if (typeof path !== 'string') {
      continue;
    }
    const key = path.split(/[./]/).filter(Boolean).pop() ?? path;
    out[key] ??= issue.message;
  }
  return out;
}
