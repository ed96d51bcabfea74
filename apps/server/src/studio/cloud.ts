import { AppError, isAppError } from '../errors.ts';
import { modelsFor } from '../providers/catalog.ts';
import type { ProviderGateway } from '../providers/gateway.ts';
import type { Candidate } from '../providers/selection.ts';
import {
  CLOUD_PROVIDERS,
  type CloudProviderId,
  type Operation,
  type ProviderId,
} from '../providers/types.ts';

/** The server setting that enables each cloud provider (a user may also add their own key). */
export const KEY_VARIABLES: Readonly<Record<CloudProviderId, string>> = {
  stability: 'STABILITY_API_KEY',
  wavespeed: 'WAVESPEED_API_KEY',
  huggingface: 'HF_TOKEN',
  gemini: 'GEMINI_API_KEY',
};

/** Cloud providers whose catalogue has a model for this operation. */
export const cloudProvidersFor = (operation: Operation): CloudProviderId[] =>
  CLOUD_PROVIDERS.filter((p) => modelsFor(p, operation).length > 0);

/**
 * Provider candidates for a cloud operation, with Create's selection and fallback rules. When
 * nothing is usable the 409 `no_provider` names the keys that would enable the operation.
 */
export async function cloudCandidates(
  gateway: Pick<ProviderGateway, 'candidates'>,
  userId: number,
  operation: Operation,
  choice: { provider?: ProviderId | 'auto' | null; model?: string | null },
  /** Providers the user's plan allows; `auto` prefers them (an explicit choice is the plan check's to refuse). */
  allowed?: readonly ProviderId[],
): Promise<Candidate[]> {
  try {
    const candidates = await gateway.candidates(userId, {
      operation,
      provider: choice.provider ?? undefined,
      model: choice.model ?? undefined,
    });
    const cloud = candidates.filter((c) => c.provider !== 'local');
    if (!cloud.length) throw new AppError(409, 'no_provider', `No available provider can do ${operation}.`);
    const inPlan = allowed ? cloud.filter((c) => allowed.includes(c.provider)) : cloud;
    // When the plan allows none of them, the first one is kept so the charge refuses it with plan_limit.
    return inPlan.length ? inPlan : cloud.slice(0, 1);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'no_provider') throw e;
    const providers =
      choice.provider && choice.provider !== 'auto' ? [choice.provider] : cloudProvidersFor(operation);
    const keys = providers.flatMap((p) => (p === 'local' ? [] : [KEY_VARIABLES[p]]));
    throw new AppError(
      409,
      'no_provider',
      `${e.message} Set ${keys.join(' or ')} on the server, or add your own key in Settings.`,
      { operation, providers, keys, cause: e.details ?? null },
    );
  }
}
