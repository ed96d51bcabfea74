import { PassThrough, type Readable } from 'node:stream';
import yazl from 'yazl';
import type { AssetRow } from '../db/schema.ts';
import { assetFileName } from './file-name.ts';

/**
 * Streams a ZIP of the assets' files. Each blob is opened only when the archive reaches it, so a
 * large selection holds one open file at a time. Images are already compressed: stored, not deflated.
 */
export function zipAssets(rows: AssetRow[], open: (sha256: string) => Promise<Readable>): Readable {
  const zip = new yazl.ZipFile();
  for (const row of rows) {
    zip.addReadStreamLazy(
      assetFileName(row),
      { mtime: new Date(row.created_at), compress: false, size: Number(row.file_size) },
      (done) => {
        open(row.sha256).then(
          (stream) => done(null, stream),
          (e: unknown) => done(e, new PassThrough()),
        );
      },
    );
  }
  zip.end();
  const out = new PassThrough();
  zip.outputStream.pipe(out);
  return out;
}
