import { type BodyOf, client, ok, type Schemas } from './client.ts';

export type AdminUser = Schemas['AdminUser'];
export type PlanId = AdminUser['plan'];

const byId = (id: number) => ({ params: { path: { id } } });

export const users = {
  list: () => ok(client.GET('/api/admin/users')),
  plans: () => ok(client.GET('/api/credits/plans')),
  create: (body: BodyOf<'/api/admin/users'>) => ok(client.POST('/api/admin/users', { body })),
  update: (id: number, body: BodyOf<'/api/admin/users/{id}', 'patch'>) =>
    ok(client.PATCH('/api/admin/users/{id}', { ...byId(id), body })),
  resetPassword: (id: number, password: string) =>
    ok(client.POST('/api/admin/users/{id}/password', { ...byId(id), body: { password } })),
  remove: (id: number, confirm: string) =>
    ok(client.DELETE('/api/admin/users/{id}', { ...byId(id), body: { confirm } })),
  setPlan: (id: number, plan: PlanId) =>
    ok(client.PUT('/api/admin/users/{id}/plan', { ...byId(id), body: { plan } })),
  /** The key makes a retried grant (double click, network retry) count once. */
  grant: (id: number, amount: number, reason: string, idempotencyKey: string) =>
    ok(
      client.POST('/api/admin/users/{id}/credits', {
        ...byId(id),
        body: { amount, reason, idempotency_key: idempotencyKey },
      }),
    ),
};

export const account = {
  changePassword: (currentPassword: string, newPassword: string) =>
    ok(
      client.POST('/api/account/password', {
        body: { current_password: currentPassword, new_password: newPassword },
      }),
    ),
  sessions: () => ok(client.GET('/api/account/sessions')),
  endSession: (id: string) => ok(client.DELETE('/api/account/sessions/{id}', { params: { path: { id } } })),
  endOtherSessions: () => ok(client.POST('/api/account/sessions/end-others')),
};
