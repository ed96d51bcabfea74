import type { Kysely } from 'kysely';
import type { Database, PersonaRow } from '../db/schema.ts';

export interface PersonaValues {
  name: string;
  brand: string | null;
  tone: string | null;
  style_keywords: string;
  colors: string;
  avoid: string;
  is_default: number;
}

export class PersonaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(userId: number): Promise<PersonaRow[]> {
    return this.db.selectFrom('personas').selectAll().where('user_id', '=', userId).orderBy('name').execute();
  }

  findOwned(userId: number, id: number): Promise<PersonaRow | undefined> {
    return this.db
      .selectFrom('personas')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  findDefault(userId: number): Promise<PersonaRow | undefined> {
    return this.db
      .selectFrom('personas')
      .selectAll()
      .where('user_id', '=', userId)
      .where('is_default', '=', 1)
      .executeTakeFirst();
  }

  /** One default per user: setting it clears the others in the same transaction. */
  create(userId: number, values: PersonaValues, now: string): Promise<PersonaRow> {
    return this.db.transaction().execute(async (trx) => {
      if (values.is_default) {
        await trx.updateTable('personas').set({ is_default: 0 }).where('user_id', '=', userId).execute();
      }
      return trx
        .insertInto('personas')
        .values({ ...values, user_id: userId, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  update(
    userId: number,
    id: number,
    values: Partial<PersonaValues>,
    now: string,
  ): Promise<PersonaRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      if (values.is_default) {
        await trx.updateTable('personas').set({ is_default: 0 }).where('user_id', '=', userId).execute();
      }
      return trx
        .updateTable('personas')
        .set({ ...values, updated_at: now })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
    });
  }

  async delete(userId: number, id: number): Promise<boolean> {
    const res = await this.db
      .deleteFrom('personas')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
