import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/schema.ts';

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
      .executeTakeFirst();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', idHash).execute();
  }

  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }
}
