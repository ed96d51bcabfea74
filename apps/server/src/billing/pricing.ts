import { badRequest } from '../errors.ts';
import { findModel, priceFor } from '../providers/catalog.ts';
import { nearestSize, QUALITY_SIZE_TIER } from '../providers/sizing.ts';
import type { ProviderId, Quality, Size } from '../providers/types.ts';
import { toCredits, toUnits } from './money.ts';
import { type BillableOperation, isLocalOperation } from './operations.ts';

export interface PriceInput {
  provider: ProviderId;
  /** Null only for local operations, which no catalogue model runs. */
  model: string | null;
  operation: BillableOperation;
  quality?: Quality;
  /** Output size: the requested target for an estimate, the produced size for a charge. */
  size?: Size;
}

export interface BreakdownLine {
  label: string;
  provider: ProviderId;
  model: string | null;
  operation: BillableOperation;
  size_tier: string | null;
  quantity: number;
  credits_each: number;
  credits: number;
}

export interface Quote {
  provider: ProviderId;
  model: string | null;
  operation: BillableOperation;
  count: number;
  unitsPerImage: number;
  totalUnits: number;
  creditsPerImage: number;
  totalCredits: number;
  breakdown: BreakdownLine[];
}

/**
 * THE price function: the estimate endpoint, the reservation a job makes and the capture after it
 * ran all call this, and it reads the providers' catalogue through `priceFor` (the same function the
 * provider clients use for `costCredits`), so an estimate and a charge cannot disagree.
 * Amounts are in units (1/100 credit, see money.ts).
 */
export function unitPrice(input: PriceInput): { units: number; sizeTier: string | null; label: string } {
  if (isLocalOperation(input.operation)) {
    return { units: 0, sizeTier: null, label: `${input.operation} (runs on this server)` };
  }
  const operation = input.operation;
  const spec = input.model ? findModel(input.provider, input.model) : undefined;
  const credits = input.model
    ? priceFor(input.provider, input.model, operation, input.quality, input.size)
    : undefined;
  if (!spec || credits === undefined) {
    throw badRequest(
      `${input.provider}${input.model ? ` model ${input.model}` : ''} cannot do ${operation}.`,
      { provider: input.provider, model: input.model, operation },
    );
  }
  const tiers = spec.price.bySizeTier;
  const sizeTier = tiers
    ? ((input.size
        ? nearestSize(spec, input.size).sizeTier
        : input.quality
          ? QUALITY_SIZE_TIER[input.quality]
          : undefined) ?? null)
    : null;
  return { units: toUnits(credits), sizeTier, label: spec.label };
}

export function quote(input: PriceInput & { count: number }): Quote {
  const { units, sizeTier, label } = unitPrice(input);
  const totalUnits = units * input.count;
  return {
    provider: input.provider,
    model: input.model,
    operation: input.operation,
    count: input.count,
    unitsPerImage: units,
    totalUnits,
    creditsPerImage: toCredits(units),
    totalCredits: toCredits(totalUnits),
    breakdown: [
      {
        label: sizeTier ? `${label}, ${sizeTier}` : label,
        provider: input.provider,
        model: input.model,
        operation: input.operation,
        size_tier: sizeTier,
        quantity: input.count,
        credits_each: toCredits(units),
        credits: toCredits(totalUnits),
      },
    ],
  };
}

/** What a job produced, priced the same way as the estimate (one entry per output image). */
export interface ChargedOutput {
  provider: ProviderId;
  model: string | null;
  operation: BillableOperation;
  width: number;
  height: number;
}

export const unitsForOutputs = (outputs: readonly ChargedOutput[]): number =>
  outputs.reduce(
    (sum, o) =>
      sum +
      unitPrice({
        provider: o.provider,
        model: o.model,
        operation: o.operation,
        size: { width: o.width, height: o.height },
      }).units,
    0,
  );
