import type { Kysely } from 'kysely';
import type { ApiTokenRow, Database, UserRow } from '../db/schema.ts';

export class TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  create(
    userId: number,
    name: string,
    tokenHash: string,
    prefix: string,
    now: string,
    expiresAt: string | null = null,
  ): Promise<ApiTokenRow> {
    return this.db
      .insertInto('api_tokens')
      .values({
        user_id: userId,
        name,
        token_hash: tokenHash,
        token_prefix: prefix,
        created_at: now,
        expires_at: expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  listForUser(userId: number): Promise<ApiTokenRow[]> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .execute();
  }

  /** Deletes only the caller's own token; returns whether one was deleted. */
  async delete(userId: number, id: number): Promise<boolean> {
    const res = await this.db
      .deleteFrom('api_tokens')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async findUserAndTouch(tokenHash: string, now: string): Promise<UserRow | undefined> {
    const user = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .where('api_tokens.token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    if (user) {
      await this.db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('token_hash', '=', tokenHash)
        .execute();
    }
    return user;
  }
}
