import type { AppError } from '../errors.ts';
import type { ProviderId } from '../providers/types.ts';
import { planLimit } from './billing-errors.ts';
import type { Plan } from './plans.ts';

/** Why the plan refuses this work (provider, batch size, output size), or undefined when it allows it. */
export function planRefusal(
  plan: Plan,
  spec: { provider: ProviderId; count: number; width?: number; height?: number },
): AppError | undefined {
  if (!plan.providers.includes(spec.provider)) {
    return planLimit(`The ${plan.label} plan does not include ${spec.provider}.`, {
      plan: plan.id,
      limit: 'providers',
      allowed: [...plan.providers],
      requested: spec.provider,
    });
  }
  if (spec.count > plan.maxVariations) {
    return planLimit(`The ${plan.label} plan allows ${plan.maxVariations} images per request.`, {
      plan: plan.id,
      limit: 'max_variations',
      allowed: plan.maxVariations,
      requested: spec.count,
    });
  }
  const side = Math.max(spec.width ?? 0, spec.height ?? 0);
  if (side > plan.maxSide) {
    return planLimit(`The ${plan.label} plan allows outputs up to ${plan.maxSide} px per side.`, {
      plan: plan.id,
      limit: 'max_side',
      allowed: plan.maxSide,
      requested: side,
    });
  }
  return undefined;
}
