import { type Kysely, sql } from 'kysely';
import { addIdColumn, type DialectName } from '../dialect.ts';

/** Credit accounts, the ledger and job reservations (billing/billing.tables.ts describes the columns). */
export function billing(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('credit_accounts')
        .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('allowance_period', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('credit_accounts_balance_nonnegative', sql`balance >= 0`)
        .execute();

      await addIdColumn(db.schema.createTable('credit_ledger'), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('balance_after', 'bigint', (c) => c.notNull())
        .addColumn('job_id', 'text')
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('credit_ledger_user_idx')
        .on('credit_ledger')
        .columns(['user_id', 'id'])
        .execute();
      await db.schema.createIndex('credit_ledger_job_idx').on('credit_ledger').column('job_id').execute();

      await db.schema
        .createTable('credit_reservations')
        .addColumn('job_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('captured', 'bigint')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('settled_at', 'text')
        .execute();
      await db.schema
        .createIndex('credit_reservations_status_idx')
        .on('credit_reservations')
        .column('status')
        .execute();
      await db.schema
        .createIndex('credit_reservations_user_idx')
        .on('credit_reservations')
        .columns(['user_id', 'created_at'])
        .execute();
    },
  };
}
