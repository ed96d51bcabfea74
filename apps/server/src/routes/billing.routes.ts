import {
  CostEstimate,
  CreditHistory,
  CreditsSummary,
  EstimateCostBody,
  GrantCreditsBody,
  HistoryQuery,
  IdParam,
  PlanList,
  SetPlanBody,
} from '@studio/contracts';
import { planList } from '../billing/presenters.ts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';

export function billingRoutes(app: StudioApp, ctx: Context): void {
  app.post(
    '/api/image-studio/estimate-cost',
    {
      schema: {
        tags: ['credits'],
        summary:
          'What an operation will cost (the same function charges it), what `auto` would pick, and whether you can afford it',
        body: EstimateCostBody,
        response: { 200: CostEstimate },
      },
    },
    async (request) => ctx.billing.estimate(userOf(request).id, request.body),
  );

  app.get(
    '/api/credits',
    {
      schema: {
        tags: ['credits'],
        summary: 'Your balance, plan and this month’s use',
        response: { 200: CreditsSummary },
      },
    },
    async (request) => ctx.billing.summary(userOf(request).id),
  );

  app.get(
    '/api/credits/plans',
    { schema: { tags: ['credits'], summary: 'Every plan and its limits', response: { 200: PlanList } } },
    async () => ({ plans: planList() }),
  );

  app.get(
    '/api/credits/history',
    {
      schema: {
        tags: ['credits'],
        summary: 'Your credit ledger, newest first',
        querystring: HistoryQuery,
        response: { 200: CreditHistory },
      },
    },
    async (request) => ctx.billing.history(userOf(request).id, request.query.page, request.query.page_size),
  );

  app.get(
    '/api/admin/users/:id/credits',
    {
      schema: {
        tags: ['admin'],
        summary: 'A user’s balance, plan and this month’s use (admin)',
        params: IdParam,
        response: { 200: CreditsSummary },
      },
    },
    async (request) => ctx.billing.summaryFor(userOf(request), request.params.id),
  );

  app.put(
    '/api/admin/users/:id/plan',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set a user’s plan (admin)',
        params: IdParam,
        body: SetPlanBody,
        response: { 200: CreditsSummary },
      },
    },
    async (request) => ctx.billing.setPlan(userOf(request), request.params.id, request.body.plan),
  );

  app.post(
    '/api/admin/users/:id/credits',
    {
      schema: {
        tags: ['admin'],
        summary: 'Grant (or take back) credits (admin); `idempotency_key` makes a retry safe',
        params: IdParam,
        body: GrantCreditsBody,
        response: { 200: CreditsSummary },
      },
    },
    async (request) =>
      ctx.billing.grant(
        userOf(request),
        request.params.id,
        request.body.amount,
        request.body.reason,
        request.body.idempotency_key,
      ),
  );
}
