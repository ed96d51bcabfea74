import { z } from 'zod';
import { Text } from './common.ts';

export const EmailField = z
  .string()
  .max(320)
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address.' }))
  .describe('Email address, case-insensitive.');
export const PasswordField = z
  .string()
  .min(8, 'Password must be at least 8 characters.')
  .max(256, 'Password must be at most 256 characters.');

export const Credentials = z.object({ email: EmailField, password: PasswordField });
export type Credentials = z.infer<typeof Credentials>;

export const LoginBody = z.object({ email: EmailField, password: z.string().min(1).max(256) });

export const User = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: z.enum(['admin', 'user']),
    created_at: z.string(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const SetupStatus = z.object({ needs_setup: z.boolean() });

export const CreateTokenBody = z.object({
  name: Text().trim().min(1).max(100),
  expires_in_days: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe('Days until the token stops working; omitted = never expires.'),
});
export const CreatedToken = z.object({
  id: z.number().int(),
  name: z.string(),
  token: z.string().describe('Shown once; store it now. Send as `Authorization: Bearer <token>`.'),
  created_at: z.string(),
  expires_at: z.string().nullable(),
});
export const ApiToken = z
  .object({
    id: z.number().int(),
    name: z.string(),
    token_prefix: z.string(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    expires_at: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;
export const TokenList = z.object({ tokens: z.array(ApiToken) });
