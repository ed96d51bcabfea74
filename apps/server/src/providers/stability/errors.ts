import { classifyStatus, errorText, type HttpResponse, type ProviderFailure } from '../http-client.ts';
import { asString, isRecord, parseJson } from '../shared.ts';

/** Stability error bodies: `{id, name, errors: [...]}` (documented) or `{message}` (observed on 401). */
export function classifyStability(res: HttpResponse): ProviderFailure {
  const body = parseJson(res.body);
  const name = isRecord(body) ? asString(body.name) : undefined;
  const errors =
    isRecord(body) && Array.isArray(body.errors) ? body.errors.filter((e) => typeof e === 'string') : [];
  const message = errors.length
    ? errors.join('; ')
    : ((isRecord(body) ? asString(body.message) : undefined) ?? errorText(res));
  if (res.status === 403) {
    if (name === 'payment_required' || /credit/i.test(message ?? ''))
      return { code: 'provider_quota', message };
    return { code: 'content_moderated', message };
  }
  if (name === 'content_moderation') return { code: 'content_moderated', message };
  if (res.status === 413 || res.status === 422) return { code: 'provider_rejected', message };
  return classifyStatus(res, message);
}
