import { ApiError } from './client.ts';

interface Issue {
  path: string;
  message: string;
}

function isIssue(value: unknown): value is Issue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    ['string', 'object'].includes(typeof (value as { path?: unknown }).path)
  );
}

/** Field messages from a 400 `validation_failed` (details.issues[{path, message}]), keyed by the last path part. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') {
    return {};
  }
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  const out: Record<string, string> = {};
  if (Array.isArray(issues)) {
    for (const issue of issues.filter(isIssue)) {
      const path = Array.isArray(issue.path) ? issue.path.join('.') : String(issue.path);
      const key = path.split(/[./]/).filter(Boolean).pop() ?? path;
      out[key] ??= issue.message;
    }
  }
  return out;
}
