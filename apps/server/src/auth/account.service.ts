import type { Session } from '@studio/contracts';
import { notFound, unprocessable } from '../errors.ts';
import type { AuthUser } from './auth.service.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { hashSecret } from './secrets.ts';
import type { SessionRepository } from './session.repository.ts';
import type { UserRepository } from './user.repository.ts';

export interface AccountDeps {
  users: UserRepository;
  sessions: SessionRepository;
  clock?: () => Date;
}

/**
 * A session is shown by the first characters of its stored sha256: enough to tell sessions apart and
 * to end one, and no help to anyone trying to sign in, since a hash cannot be turned back into the cookie.
 */
const PUBLIC_ID_LENGTH = 16;
const publicId = (idHash: string) => idHash.slice(0, PUBLIC_ID_LENGTH);

/** What every signed-in user may do to their own account: password and sessions. */
export class AccountService {
  private readonly clock: () => Date;

  constructor(private readonly deps: AccountDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /**
   * Needs the current password. Every other session ends; the one making the request (when it is a
   * session, not a token) stays signed in.
   */
  async changePassword(
    user: AuthUser,
    currentSession: string | undefined,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const row = await this.deps.users.findById(user.id);
    if (!row) {
      throw notFound('User');
    }
    if (!(await verifyPassword(row.password_hash, currentPassword))) {
      throw unprocessable('wrong_password', 'The current password is incorrect.');
    }
    await this.deps.users.setPassword(user.id, await hashPassword(newPassword), this.now());
    await this.deps.sessions.deleteForUser(user.id, this.keep(user, currentSession));
  }

  async listSessions(user: AuthUser, currentSession: string | undefined): Promise<Session[]> {
    const current = this.keep(user, currentSession);
    const rows = await this.deps.sessions.listForUser(user.id, this.now());
    return rows.map((row) => ({
      id: publicId(row.id),
      created_at: row.created_at,
      expires_at: row.expires_at,
      current: row.id === current,
    }));
  }

  async endSession(user: AuthUser, id: string): Promise<void> {
    const rows = await this.deps.sessions.listForUser(user.id, this.now());
    const row = rows.find((r) => publicId(r.id) === id);
    if (!row || !(await this.deps.sessions.deleteOwned(user.id, row.id))) {
      throw notFound('Session');
    }
  }

  async endOtherSessions(user: AuthUser, currentSession: string | undefined): Promise<void> {
    await this.deps.sessions.deleteForUser(user.id, this.keep(user, currentSession));
  }

  /** The hash of the session this request came with; a token-authenticated request keeps none. */
  private keep(user: AuthUser, currentSession: string | undefined): string | undefined {
    return user.via === 'session' && currentSession ? hashSecret(currentSession) : undefined;
  }
}
