import type { ApiToken, User } from '@studio/contracts';
import type { ApiTokenRow, UserRow } from '../db/schema.ts';
import {
  accountDisabled,
  conflict,
  forbidden,
  invalidCredentials,
  loginLocked,
  notFound,
} from '../errors.ts';
import { type LoginThrottle, MemoryLoginThrottle } from './login-throttle.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { SessionRepository } from './session.repository.ts';
import type { TokenRepository } from './token.repository.ts';
import type { UserRepository } from './user.repository.ts';

export interface AuthUser {
  id: number;
  email: string;
  role: 'admin' | 'user';
  via: 'session' | 'token';
}

export interface AuthServiceDeps {
  users: UserRepository;
  sessions: SessionRepository;
  tokens: TokenRepository;
  sessionTtlDays: number;
  /** Failed sign-ins per account (in Redis when several API processes share it); default in memory. */
  throttle?: LoginThrottle;
  clock?: () => Date;
}

const TOKEN_PREFIX = 'ist_';

export class AuthService {
  private readonly clock: () => Date;
  private readonly throttle: LoginThrottle;

  constructor(private readonly deps: AuthServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.throttle = deps.throttle ?? new MemoryLoginThrottle(this.clock);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async needsSetup(): Promise<boolean> {
    return (await this.deps.users.count()) === 0;
  }

  /** Creates the admin on a fresh install; 409 once any user exists. */
  async setup(email: string, password: string): Promise<User> {
    if (!(await this.needsSetup())) {
      throw conflict('already_set_up', 'This studio already has an admin. Log in instead.');
    }
    const row = await this.deps.users.createFirstAdmin(email, await hashPassword(password), this.now());
    if (!row) {
      throw conflict('already_set_up', 'This studio already has an admin. Log in instead.');
    }
    return toUser(row);
  }

  async createUser(actor: AuthUser, email: string, password: string): Promise<User> {
    if (actor.role !== 'admin') {
      throw forbidden('Only an admin can create users.');
    }
    const row = await this.deps.users.create(email, await hashPassword(password), 'user', this.now());
    if (!row) {
      throw conflict('email_taken', `A user with email ${email} already exists.`);
    }
    return toUser(row);
  }

  /** Returns the new session's secret (for the cookie) and the user. */
  async login(
    email: string,
    password: string,
  ): Promise<{ sessionSecret: string; user: User; expiresAt: Date }> {
    const waiting = await this.throttle.waitSeconds(email);
    if (waiting > 0) {
      throw loginLocked(waiting);
    }
    const waitIfWrong = await this.throttle.attempt(email);
    const row = await this.deps.users.findByEmail(email);
    const ok = await verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), password);
    if (!row || !ok) {
      throw waitIfWrong > 0 ? loginLocked(waitIfWrong) : invalidCredentials();
    }
    await this.throttle.succeeded(email);
    if (row.disabled_at !== null) {
      throw accountDisabled();
    }
    const secret = newSecret();
    const expiresAt = new Date(this.clock().getTime() + this.deps.sessionTtlDays * 86_400_000);
    await this.deps.sessions.create(hashSecret(secret), row.id, this.now(), expiresAt.toISOString());
    return { sessionSecret: secret, user: toUser(row), expiresAt };
  }

  async logout(sessionSecret: string): Promise<void> {
    await this.deps.sessions.delete(hashSecret(sessionSecret));
  }

  async userForSession(sessionSecret: string): Promise<AuthUser | undefined> {
    const row = await this.deps.sessions.findUser(hashSecret(sessionSecret), this.now());
    return row ? { id: row.id, email: row.email, role: row.role, via: 'session' } : undefined;
  }

  async userForToken(token: string): Promise<AuthUser | undefined> {
    const row = await this.deps.tokens.findUserAndTouch(hashSecret(token), this.now());
    return row ? { id: row.id, email: row.email, role: row.role, via: 'token' } : undefined;
  }

  async me(user: AuthUser): Promise<User> {
    const row = await this.deps.users.findById(user.id);
    if (!row) {
      throw notFound('User');
    }
    return toUser(row);
  }

  /** Without `expiresInDays` the token works until it is revoked. */
  async createToken(user: AuthUser, name: string, expiresInDays?: number) {
    const token = newSecret(TOKEN_PREFIX);
    const expiresAt =
      expiresInDays === undefined
        ? null
        : new Date(this.clock().getTime() + expiresInDays * 86_400_000).toISOString();
    const row = await this.deps.tokens.create(
      user.id,
      name,
      hashSecret(token),
      token.slice(0, TOKEN_PREFIX.length + 6),
      this.now(),
      expiresAt,
    );
    return { id: row.id, name: row.name, token, created_at: row.created_at, expires_at: row.expires_at };
  }

  async listTokens(user: AuthUser): Promise<ApiToken[]> {
    return (await this.deps.tokens.listForUser(user.id)).map(toApiToken);
  }

  /** Returns how many expired sessions were deleted (the session sweeper's work). */
  deleteExpiredSessions(): Promise<number> {
    return this.deps.sessions.deleteExpired(this.now());
  }

  async revokeToken(user: AuthUser, id: number): Promise<void> {
    if (!(await this.deps.tokens.delete(user.id, id))) {
      throw notFound('Token');
    }
  }
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  role: row.role,
  created_at: row.created_at,
});

const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  token_prefix: row.token_prefix,
  created_at: row.created_at,
  last_used_at: row.last_used_at,
  expires_at: row.expires_at,
});
