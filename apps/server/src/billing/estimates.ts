import { type CostEstimate, EditOperation, type EstimateCostBody } from '@studio/contracts';
import { hasLocalEdit } from '@studio/contracts/rules';
import { badRequest, conflict } from '../errors.ts';
import { CATALOGUES, canonicalModel, findModel } from '../providers/catalog.ts';
import { modelForReference, referenceCandidates, takesReference } from '../providers/reference-models.ts';
import type { ModelSpec, ProviderId, Quality } from '../providers/types.ts';
import type { CreditAccounts } from './accounts.ts';
import { chooseModel } from './auto-choice.ts';
import type { BillingServiceDeps } from './billing-deps.ts';
import type { ChargeSpec } from './charge-types.ts';
import { toCredits, unitsToUsd } from './money.ts';
import { type BillableOperation, isLocalOperation, normalizeOperation } from './operations.ts';
import { planRefusal } from './plan-limits.ts';
import { type ChargedOutput, type Quote, quote, unitsForOutputs } from './pricing.ts';

/** Prices a job; the estimate, the reservation and the capture use the same function (pricing.ts). */
export function quoteCharge(spec: ChargeSpec): Quote {
  return quote({
    provider: spec.provider,
    model: spec.model,
    operation: spec.operation,
    count: spec.count,
    quality: spec.quality,
    size: spec.width && spec.height ? { width: spec.width, height: spec.height } : undefined,
  });
}

/**
 * With no cloud provider, an edit the server can do itself runs locally (local first), so its
 * estimate is the local run's: the `process.edit_*` operation the run is charged under.
 */
function localEditFallback(operation: BillableOperation): BillableOperation | undefined {
  const edit = EditOperation.safeParse(operation.replace(/^edit\./, ''));
  return operation.startsWith('edit.') && edit.success && hasLocalEdit(edit.data)
    ? `process.edit_${edit.data}`
    : undefined;
}

/** Credits for what a job delivered, priced exactly like the estimate. */
export function chargeFor(outputs: readonly ChargedOutput[]): number {
  return toCredits(unitsForOutputs(outputs));
}

/** Only a create takes a reference image; elsewhere the flag changes nothing. */
const takesReferenceHere = (operation: BillableOperation, body: EstimateCostBody): boolean =>
  operation === 'create' && body.with_reference === true;

/** Estimates: which providers a user may use, what `auto` picks, and the price before a job runs. */
export class Estimates {
  private readonly modelsOf: (provider: ProviderId) => readonly ModelSpec[];

  constructor(
    private readonly deps: BillingServiceDeps,
    private readonly accounts: CreditAccounts,
  ) {
    this.modelsOf = deps.modelsOf ?? ((p) => CATALOGUES[p].models);
  }

  /** Providers this user may use now: available (keys) and allowed by the plan. */
  async usableProviders(userId: number): Promise<ProviderId[]> {
    const plan = await this.accounts.plan(userId);
    const available = new Set<ProviderId>(['local', ...(await this.deps.availableProviders(userId))]);
    return plan.providers.filter((p) => available.has(p));
  }

  /** The provider and model `auto` picks for an operation and quality, for this user now. */
  async autoChoice(
    userId: number,
    operation: BillableOperation,
    quality: Quality,
    withReference = false,
  ): Promise<{ provider: ProviderId; model: string | null } | undefined> {
    if (isLocalOperation(operation)) return { provider: 'local', model: null };
    const providers = await this.usableProviders(userId);
    if (this.deps.chooseAuto) {
      return this.deps.chooseAuto({ userId, operation, quality, providers, withReference });
    }
    const modelsOf = withReference
      ? (provider: ProviderId) =>
          this.modelsOf(provider).filter((m) => takesReference({ provider, model: m.id }))
      : this.modelsOf;
    const choice = chooseModel(operation, quality, providers, modelsOf);
    return choice && { provider: choice.provider, model: choice.model.id };
  }

  /** Turns an estimate request (provider may be `auto`, model may be omitted or a seed alias) into a spec. */
  async resolve(userId: number, body: EstimateCostBody): Promise<ChargeSpec> {
    const operation = normalizeOperation(body.operation);
    if (!operation) {
      throw badRequest(`Unknown operation: ${body.operation}.`, { operation: body.operation });
    }
    const base = {
      operation,
      count: body.num_images,
      width: body.width ?? undefined,
      height: body.height ?? undefined,
      quality: body.quality,
    };
    if (isLocalOperation(operation)) return { ...base, provider: 'local', model: null };
    const withReference = takesReferenceHere(operation, body);
    if (body.provider === 'auto') {
      const auto = await this.autoChoice(userId, operation, body.quality, withReference);
      const local = auto ? undefined : localEditFallback(operation);
      if (local) return { ...base, operation: local, provider: 'local', model: null };
      if (!auto) {
        throw conflict('no_provider', `No provider you can use does ${operation}.`, { operation });
      }
      return { ...base, ...auto };
    }
    const provider = body.provider;
    const named = withReference ? modelForReference(provider, body.model, body.quality) : body.model;
    if (named) {
      const model = canonicalModel(provider, named);
      if (!findModel(provider, model)) {
        throw badRequest(`Unknown ${provider} model: ${named}.`, { provider, model: named });
      }
      if (withReference) referenceCandidates([{ provider, model }], true);
      return { ...base, provider, model };
    }
    const choice = chooseModel(operation, body.quality, [provider], this.modelsOf);
    if (!choice) {
      throw badRequest(`${provider} cannot do ${operation}.`, { provider, operation });
    }
    return { ...base, provider, model: choice.model.id };
  }

  async estimate(userId: number, body: EstimateCostBody): Promise<CostEstimate> {
    const spec = await this.resolve(userId, body);
    const q = quoteCharge(spec);
    const account = await this.accounts.account(userId);
    const auto = isLocalOperation(spec.operation)
      ? undefined
      : await this.autoChoice(userId, spec.operation, body.quality, takesReferenceHere(spec.operation, body));
    const withinPlan = planRefusal(await this.accounts.plan(userId), spec) === undefined;
    return {
      provider: q.provider,
      model: q.model,
      operation: spec.operation,
      quality: body.quality,
      num_images: q.count,
      resolution: body.width && body.height ? `${body.width}x${body.height}` : 'default',
      cost_per_image: unitsToUsd(q.unitsPerImage),
      total_cost: unitsToUsd(q.totalUnits),
      currency: 'USD',
      estimated: true,
      credits_per_image: q.creditsPerImage,
      total_credits: q.totalCredits,
      breakdown: q.breakdown,
      auto: auto?.model ? { provider: auto.provider, model: auto.model } : null,
      balance: toCredits(account.balance),
      can_afford: account.balance >= q.totalUnits,
      within_plan: withinPlan,
    };
  }
}
