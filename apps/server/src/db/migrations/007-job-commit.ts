import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * `jobs.committed_at`: when a running job started saving its results. From then on a cancel is
 * refused, so a canceled job never leaves a result asset behind (nor one it was not charged for).
 */
export function jobCommit(_dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('jobs').addColumn('committed_at', 'text').execute();
    },
  };
}
