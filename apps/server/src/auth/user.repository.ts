import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/schema.ts';

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  findById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Creates the first user as admin only if no user exists yet. The check and the insert run in one
   * statement, so two racing setup requests cannot both become admin.
   */
  async createFirstAdmin(email: string, passwordHash: string, now: string): Promise<UserRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (existing) {
        return undefined;
      }
      return trx
        .insertInto('users')
        .values({ email, password_hash: passwordHash, role: 'admin', created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  create(email: string, passwordHash: string, role: 'admin' | 'user', now: string): Promise<UserRow> {
    return this.db
      .insertInto('users')
      .values({ email, password_hash: passwordHash, role, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
