import type { Kysely } from 'kysely';
import type { Database, SessionRow, UserRow } from '../db/schema.ts';

export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(idHash: string, userId: number, now: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id: idHash, user_id: userId, created_at: now, expires_at: expiresAt })
      .execute();
  }

  findUser(idHash: string, now: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .where('sessions.id', '=', idHash)
      .where('sessions.expires_at', '>', now)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
  }

  /** The user's live sessions, newest first. */
  listForUser(userId: number, now: string): Promise<SessionRow[]> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Ends every session of the user except `keepIdHash` (the caller's own, when given). */
  async deleteForUser(userId: number, keepIdHash?: string): Promise<void> {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepIdHash !== undefined) {
      q = q.where('id', '!=', keepIdHash);
    }
    await q.execute();
  }

  /** Deletes one of the user's sessions; returns whether one was deleted. */
  async deleteOwned(userId: number, idHash: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('sessions')
      .where('id', '=', idHash)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', idHash).execute();
  }

  /** Returns how many expired sessions were deleted. */
  async deleteExpired(now: string): Promise<number> {
    const res = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
