import type { Kysely } from 'kysely';
import { addIdColumn, type DialectName } from '../dialect.ts';

export function personas(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await addIdColumn(db.schema.createTable('personas'), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('brand', 'text')
        .addColumn('tone', 'text')
        .addColumn('style_keywords', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('colors', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('avoid', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('personas_user_idx').on('personas').column('user_id').execute();
    },
  };
}
