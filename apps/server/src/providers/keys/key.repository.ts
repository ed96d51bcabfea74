import type { Generated, Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface ProviderKeyRow {
  id: Generated<number>;
  user_id: number;
  provider: string;
  ciphertext: string;
  last4: string;
  created_at: string;
  updated_at: string;
  tested_at: string | null;
  test_ok: number | null;
  test_message: string | null;
}

/** The table this module owns (migration 006-provider-keys). */
export type ProviderKeyTables = {
  provider_keys: ProviderKeyRow;
};

export type StoredKey = Omit<ProviderKeyRow, 'id'> & { id: number };

/** Every query is scoped to its user. */
export class ProviderKeyRepository {
  constructor(private readonly db: Kysely<Database & ProviderKeyTables>) {}

  list(userId: number): Promise<StoredKey[]> {
    return this.db
      .selectFrom('provider_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('provider')
      .execute();
  }

  get(userId: number, provider: string): Promise<StoredKey | undefined> {
    return this.db
      .selectFrom('provider_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('provider', '=', provider)
      .executeTakeFirst();
  }

  async upsert(
    userId: number,
    provider: string,
    ciphertext: string,
    last4: string,
    now: string,
  ): Promise<void> {
    await this.db
      .insertInto('provider_keys')
      .values({
        user_id: userId,
        provider,
        ciphertext,
        last4,
        created_at: now,
        updated_at: now,
        tested_at: null,
        test_ok: null,
        test_message: null,
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'provider']).doUpdateSet({
          ciphertext,
          last4,
          updated_at: now,
          tested_at: null,
          test_ok: null,
          test_message: null,
        }),
      )
      .execute();
  }

  /** Every user's keys, for re-encrypting them under a new server secret (`npm run rekey`). */
  all(): Promise<StoredKey[]> {
    return this.db.selectFrom('provider_keys').selectAll().orderBy('id').execute();
  }

  async setCiphertext(id: number, ciphertext: string): Promise<void> {
    await this.db.updateTable('provider_keys').set({ ciphertext }).where('id', '=', id).execute();
  }

  async delete(userId: number, provider: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('provider_keys')
      .where('user_id', '=', userId)
      .where('provider', '=', provider)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async recordTest(
    userId: number,
    provider: string,
    ok: boolean,
    message: string | null,
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('provider_keys')
      .set({ tested_at: now, test_ok: ok ? 1 : 0, test_message: message })
      .where('user_id', '=', userId)
      .where('provider', '=', provider)
      .execute();
  }
}
