import type { ChargeMeter, ChargeOption } from './charge-types.ts';

/**
 * The candidates a charge's reservation covers, in their order. A studio runs only these, so a fallback
 * the balance could not pay for is never tried and the capture is always the deliverer's full price.
 */
export function coveredCandidates<T extends ChargeOption>(
  candidates: readonly T[],
  meter: Pick<ChargeMeter, 'covered'>,
): T[] {
  return candidates.filter((c) =>
    meter.covered.some((o) => o.provider === c.provider && o.model === c.model),
  );
}
