import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { tryParseJson } from '../util/try-parse-json.ts';

/**
 * `manifest.json`, written last: a snapshot folder without one is an interrupted backup, and
 * restore refuses it. Everything restore needs to check before it writes anything is here.
 */
export const manifestSchema = z.object({
  format: z.literal('image-studio-backup'),
  version: z.literal(1),
  created_at: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  /** The store the blobs were copied from; they restore into either kind. */
  storage: z.enum(['fs', 's3']),
  /** File under the snapshot folder: the SQLite copy or the pg_dump archive. */
  database_file: z.string(),
  migrations: z.array(z.string()),
  blobs: z.array(z.object({ sha256: z.string(), size: z.number().int().nonnegative() })),
  /** Keys the snapshot's rows reference that the store no longer had when the backup ran. */
  missing_blobs: z.array(z.string()),
  /** Whether DATA_DIR/secret.key (which decrypts users' provider keys) is in the snapshot. */
  secret_key: z.boolean(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export const MANIFEST_FILE = 'manifest.json';
/** Where the snapshot keeps its blobs: the fs store's layout, so a snapshot is browsable by hand. */
export const BLOBS_DIR = 'blobs';
export const SECRET_FILE = 'secret.key';

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const tmp = path.join(dir, `${MANIFEST_FILE}.tmp`);
  await fsp.writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await fsp.rename(tmp, path.join(dir, MANIFEST_FILE));
}

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new AppError(
      400,
      'backup_incomplete',
      `${dir} has no ${MANIFEST_FILE}: not a backup, or one that did not finish.`,
    );
  }
  const parsed = manifestSchema.safeParse(tryParseJson(text));
  if (!parsed.success) {
    throw new AppError(400, 'backup_unreadable', `${MANIFEST_FILE} in ${dir} is not a backup manifest.`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}
