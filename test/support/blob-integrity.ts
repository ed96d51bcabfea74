import type { Kysely } from 'kysely';
import type { Database } from '../../apps/server/src/db/schema.ts';
import type { BlobStore } from '../../apps/server/src/storage/blob-store.ts';

export interface BlobIntegrity {
  /** Keys some asset row references (file or thumbnail) that the store does not hold. */
  missing: string[];
  /** Keys the store holds that no asset row references. */
  orphans: string[];
}

/** Compares every asset row's blob keys with what the store lists. */
export async function blobIntegrity(
  db: Kysely<Database>,
  store: Pick<BlobStore, 'list'>,
): Promise<BlobIntegrity> {
  const rows = await db
    .selectFrom('assets')
    .select(['sha256', 'thumb_small_sha256', 'thumb_large_sha256'])
    .execute();
  const referenced = new Set(
    rows
      .flatMap((r) => [r.sha256, r.thumb_small_sha256, r.thumb_large_sha256])
      .filter((s): s is string => s !== null),
  );
  const stored = new Set<string>();
  for await (const blob of store.list()) stored.add(blob.sha256);
  return {
    missing: [...referenced].filter((sha) => !stored.has(sha)).sort(),
    orphans: [...stored].filter((sha) => !referenced.has(sha)).sort(),
  };
}
