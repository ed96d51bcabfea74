import { classifyStatus, errorText, type HttpResponse, type ProviderFailure } from '../http-client.ts';
import { asString, isRecord, parseJson } from '../shared.ts';

/** Google's `{error: {code, message, status, details}}`; note a bad key is a 400, not a 401. */
export function classifyGemini(res: HttpResponse): ProviderFailure {
  const body = parseJson(res.body);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const message = (error ? asString(error.message) : undefined) ?? errorText(res);
  const status = error ? asString(error.status) : undefined;
  const details = error && Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  const reason = details.map((d) => asString(d.reason)).find(Boolean);
  if (reason === 'API_KEY_INVALID' || /API key not valid/i.test(message ?? ''))
    return { code: 'provider_auth', message };
  if (status === 'FAILED_PRECONDITION') return { code: 'provider_quota', message };
  if (status === 'PERMISSION_DENIED') return { code: 'provider_auth', message };
  if (res.status === 429) {
    const delay = details.map((d) => asString(d.retryDelay)).find(Boolean);
    const m = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    const fromBody = m ? Math.ceil(Number(m[1]) * 1000) : undefined;
    const failure = classifyStatus(res, message);
    return { ...failure, retryAfterMs: failure.retryAfterMs ?? fromBody };
  }
  return classifyStatus(res, message);
}
