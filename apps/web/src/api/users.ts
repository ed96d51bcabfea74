import type {
  AdminUpdateUserBody,
  AdminUser,
  AdminUserList,
  AdminCreateUserBody as CreateBody,
  CreditsSummary,
  PlanList,
  SessionList,
} from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';
import type { OkT } from './endpoints.ts';

export type { AdminUser };
export type PlanId = AdminUser['plan'];

export const users = {
  list: () => api<AdminUserList>('/api/admin/users'),
  plans: () => api<z.infer<typeof PlanList>>('/api/credits/plans'),
  create: (body: Omit<CreateBody, 'role'> & { role?: CreateBody['role'] }) =>
    api<AdminUser>('/api/admin/users', { method: 'POST', body }),
  update: (id: number, body: AdminUpdateUserBody) =>
    api<AdminUser>(`/api/admin/users/${id}`, { method: 'PATCH', body }),
  resetPassword: (id: number, password: string) =>
    api<OkT>(`/api/admin/users/${id}/password`, { method: 'POST', body: { password } }),
  remove: (id: number, confirm: string) =>
    api<OkT>(`/api/admin/users/${id}`, { method: 'DELETE', body: { confirm } }),
  setPlan: (id: number, plan: PlanId) =>
    api<CreditsSummary>(`/api/admin/users/${id}/plan`, { method: 'PUT', body: { plan } }),
  /** The key makes a retried grant (double click, network retry) count once. */
  grant: (id: number, amount: number, reason: string, idempotencyKey: string) =>
    api<CreditsSummary>(`/api/admin/users/${id}/credits`, {
      method: 'POST',
      body: { amount, reason, idempotency_key: idempotencyKey },
    }),
};

export const account = {
  changePassword: (currentPassword: string, newPassword: string) =>
    api<OkT>('/api/account/password', {
      method: 'POST',
      body: { current_password: currentPassword, new_password: newPassword },
    }),
  sessions: () => api<SessionList>('/api/account/sessions'),
  endSession: (id: string) => api<OkT>(`/api/account/sessions/${id}`, { method: 'DELETE' }),
  endOtherSessions: () => api<OkT>('/api/account/sessions/end-others', { method: 'POST', body: {} }),
};
