import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The table this module owns (migration 008-accounts). */
export type SecretCheckTables = {
  secret_checks: { name: string; box: string; created_at: string };
};

export class SecretCheckRepository {
  constructor(private readonly db: Kysely<Database & SecretCheckTables>) {}

  async get(name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('secret_checks')
      .select('box')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.box;
  }

  /** Replaces the box (the secret was rotated). */
  async put(name: string, box: string, now: string): Promise<void> {
    await this.db
      .insertInto('secret_checks')
      .values({ name, box, created_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ box, created_at: now }))
      .execute();
  }

  /** Stores the box unless one exists (two processes starting at once keep the first). */
  async putIfAbsent(name: string, box: string, now: string): Promise<void> {
    await this.db
      .insertInto('secret_checks')
      .values({ name, box, created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
}
