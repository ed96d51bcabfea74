import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import type { AssetRow } from '../db/schema.ts';
import { BlobNotFoundError } from '../storage/blob-store.ts';
import { assetFileName } from './file-name.ts';

/**
 * Streams a ZIP of the assets' files. Each blob is opened only when the archive reaches it and the
 * next only after it was read to the end, so a large selection holds one open blob at a time.
 * Images are already compressed: stored, not deflated.
 *
 * A blob found missing when its turn comes is skipped (the archive stays valid) and reported to
 * `onMissing`. Any other failure (a read error, a blob shorter than its row says) destroys the
 * returned stream with the error: before the first byte the caller still answers an error; after
 * it the client sees a cut-off download, never a hang. Destroying the returned stream (a client
 * that went away) closes the open blob and stops the archive.
 */
export function zipAssets(
  rows: AssetRow[],
  open: (sha256: string) => Promise<Readable>,
  onMissing: (row: AssetRow) => void,
): Readable {
  const zip = new yazl.ZipFile();
  const out = new PassThrough();
  let current: Readable | undefined;
  const stop = (err?: Error) => {
    current?.destroy();
    // Unpiped, the archive is left unreferenced with nothing more to write; the blob was what held
    // a file or socket open.
    zip.outputStream.unpipe(out);
    out.destroy(err);
  };
  // yazl reports a size mismatch on the ZipFile but never listens to the blob streams it reads:
  // their errors reach `finished` below.
  zip.on('error', (err: Error) => stop(err));
  zip.outputStream.on('error', (err: Error) => stop(err));
  out.on('close', () => {
    if (!out.writableFinished) stop();
  });
  zip.outputStream.pipe(out);

  const addAll = async () => {
    for (const row of rows) {
      const stream = await openOrSkip(row, open, onMissing);
      if (out.destroyed) {
        stream?.destroy();
        return;
      }
      if (!stream) continue;
      current = stream;
      zip.addReadStream(stream, assetFileName(row), {
        mtime: new Date(row.created_at),
        compress: false,
        size: Number(row.file_size),
      });
      await finished(stream);
      current = undefined;
    }
    zip.end();
  };
  addAll().catch((e: unknown) => stop(e instanceof Error ? e : new Error(String(e))));
  return out;
}

async function openOrSkip(
  row: AssetRow,
  open: (sha256: string) => Promise<Readable>,
  onMissing: (row: AssetRow) => void,
): Promise<Readable | undefined> {
  try {
    return await open(row.sha256);
  } catch (e) {
    if (e instanceof BlobNotFoundError) {
      onMissing(row);
      return undefined;
    }
    throw e;
  }
}
