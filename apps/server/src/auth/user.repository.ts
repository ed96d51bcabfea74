import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/schema.ts';

export interface UserChange {
  role?: 'admin' | 'user';
  disabled_at?: string | null;
}

export type KeepAdminOutcome = 'ok' | 'not_found' | 'last_admin';

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
   * Creates the first user as admin, once. The transaction claims the one `setup_guard` row first: a
   * racing setup's insert waits for this one to finish and then finds the key taken (on PostgreSQL a
   * check-then-insert alone would let both through), so exactly one first admin is ever made.
   */
  async createFirstAdmin(email: string, passwordHash: string, now: string): Promise<UserRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .withTables<{ setup_guard: { id: number; created_at: string } }>()
        .insertInto('setup_guard')
        .values({ id: 1, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (!claimed || existing) {
        return undefined;
      }
      return trx
        .insertInto('users')
        .values({ email, password_hash: passwordHash, role: 'admin', created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('id').execute();
  }

  async setPassword(id: number, passwordHash: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /**
   * Changes a role or the disabled mark unless that would leave no active admin. The transaction
   * first touches every admin row: on PostgreSQL that holds their row locks, so two admins demoting
   * each other at once cannot both see the other still counted; SQLite runs transactions one by one.
   */
  updateKeepingAnAdmin(id: number, change: UserChange, now: string): Promise<KeepAdminOutcome> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set((eb) => ({ updated_at: eb.ref('updated_at') }))
        .where('role', '=', 'admin')
        .execute();
      const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) {
        return 'not_found';
      }
      const activeAdminNow = row.role === 'admin' && row.disabled_at === null;
      const disabledAfter = change.disabled_at === undefined ? row.disabled_at : change.disabled_at;
      const activeAdminAfter = (change.role ?? row.role) === 'admin' && disabledAfter === null;
      if (activeAdminNow && !activeAdminAfter) {
        const others = await trx
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('role', '=', 'admin')
          .where('disabled_at', 'is', null)
          .where('id', '!=', id)
          .executeTakeFirstOrThrow();
        if (Number(others.n) === 0) {
          return 'last_admin';
        }
      }
      await trx
        .updateTable('users')
        .set({ ...change, updated_at: now })
        .where('id', '=', id)
        .execute();
      return 'ok';
    });
  }

  /** Deletes the user; sessions, tokens, jobs, credits and the rest go with the row (ON DELETE CASCADE). */
  async delete(id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Inserts the user in one statement; undefined when the email is taken (even by a racing insert). */
  create(
    email: string,
    passwordHash: string,
    role: 'admin' | 'user',
    now: string,
  ): Promise<UserRow | undefined> {
    return this.db
      .insertInto('users')
      .values({ email, password_hash: passwordHash, role, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
  }
}
