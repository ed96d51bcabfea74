import { MODULE_LOCAL_MODELS } from '@studio/contracts/rules';
import type { Health } from '../../api/endpoints.ts';
import { type ProviderInfoT, supporting } from '../../api/providers.ts';
import type { Studio } from '../../studios.tsx';

export interface StudioStatus {
  state: 'live' | 'needs' | 'down';
  label: string;
  /** What the user must add before the studio can work (e.g. "needs a Stability key"). */
  needs: string[];
}

export interface StatusInputs {
  health?: Health;
  providers?: ProviderInfoT[];
}

const orList = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;

/** What a provider-backed studio is missing, from the live provider list. */
function providerNeeds(operation: string, providers: ProviderInfoT[]): { ready: boolean; needs: string[] } {
  const capable = supporting(providers, operation);
  const ai = capable.filter((p) => p.kind === 'ai');
  const usable = ai.filter((p) => p.available && p.healthy);
  const needs: string[] = [];
  if (usable.length === 0 && ai.length > 0) {
    const keyless = ai.filter((p) => !p.available).map((p) => p.label);
    if (keyless.length > 0) {
      needs.push(`Needs a ${orList(keyless)} key (Settings → Provider keys).`);
    }
    for (const p of ai.filter((x) => x.available && !x.healthy)) {
      needs.push(`${p.label} is failing: ${p.reason ?? 'temporarily unavailable'}.`);
    }
  }
  const local = capable.some((p) => p.kind === 'layout' && p.available);
  if (usable.length === 0 && local) {
    needs.push('Works offline with the local layout renderer meanwhile.');
  }
  return { ready: usable.length > 0 || local, needs };
}

/** A studio's live status from the server's health report and the user's providers. */
export function studioStatus(studio: Studio, { health, providers }: StatusInputs): StudioStatus {
  const fromProviders =
    studio.operation && providers ? providerNeeds(studio.operation, providers) : undefined;
  const needs = fromProviders?.needs ?? [];
  if (health && (health.database?.status === 'error' || health.storage?.status === 'error')) {
    return { state: 'down', label: 'Degraded', needs: ['The database or storage is not answering.'] };
  }
  const module = studio.module ? health?.modules?.[studio.module] : undefined;
  if (module === 'unavailable') {
    return { state: 'down', label: 'Unavailable', needs };
  }
  if (module === 'degraded' && studio.module) {
    // The server still serves the studio, one way of working short (e.g. Edit without its
    // background-removal model), so the card stays usable and names what is missing.
    for (const model of MODULE_LOCAL_MODELS[studio.module] ?? []) {
      const check = health?.local_models?.[model];
      if (check?.status === 'error') needs.push(check.error ?? `The offline model ${model} is missing.`);
    }
  }
  if (fromProviders && !fromProviders.ready) {
    return { state: 'needs', label: 'Needs setup', needs };
  }
  if (needs.length > 0) {
    return { state: 'needs', label: 'Limited', needs };
  }
  return { state: 'live', label: 'Live', needs };
}
