import { z } from 'zod';
import { EmailField, PasswordField } from './auth.ts';
import { PlanIdSchema } from './billing.ts';

const Role = z.enum(['admin', 'user']);

export const AdminUser = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: Role,
    disabled: z.boolean().describe('A disabled user keeps their data, but no session or token works.'),
    created_at: z.string(),
    plan: PlanIdSchema,
    balance: z.number().describe('Credits.'),
  })
  .meta({ id: 'AdminUser' });
export type AdminUser = z.infer<typeof AdminUser>;
export const AdminUserList = z.object({ users: z.array(AdminUser) });
export type AdminUserList = z.infer<typeof AdminUserList>;

export const AdminCreateUserBody = z.object({
  email: EmailField,
  password: PasswordField,
  role: Role.default('user'),
  plan: PlanIdSchema.optional().describe("Omitted: the role's default plan."),
});
export type AdminCreateUserBody = z.infer<typeof AdminCreateUserBody>;

export const AdminUpdateUserBody = z
  .object({ role: Role.optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'Give a role or disabled.');
export type AdminUpdateUserBody = z.infer<typeof AdminUpdateUserBody>;

export const ResetPasswordBody = z.object({ password: PasswordField });

export const DeleteUserBody = z.object({
  confirm: z.string().max(320).trim().toLowerCase().describe("The user's email, to confirm the deletion."),
});

export const ChangePasswordBody = z.object({
  current_password: z.string().min(1).max(256),
  new_password: PasswordField,
});

export const Session = z
  .object({
    id: z.string(),
    created_at: z.string(),
    expires_at: z.string(),
    current: z.boolean().describe('The session this request came with.'),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;
export const SessionList = z.object({ sessions: z.array(Session) });
export type SessionList = z.infer<typeof SessionList>;
export const SessionIdParam = z.object({
  id: z
    .string()
    .max(16)
    .regex(/^[0-9a-f]{16}$/, 'Not a session id.'),
});
