import { PassThrough, type Readable } from 'node:stream';
import yazl from 'yazl';

export interface ZipEntry {
  /** `<folder>/<file>`, already safe. */
  path: string;
  bytes: () => Promise<Buffer>;
}

/**
 * Streams a ZIP of `entries`, reading each one's bytes only when the archive reaches it, so one
 * file is held at a time. Images are already compressed: stored, not deflated. A read that fails
 * destroys the stream with its error (before the first byte the route still answers an error).
 */
export function zipEntries(entries: readonly ZipEntry[]): Readable {
  const zip = new yazl.ZipFile();
  const out = new PassThrough();
  const stop = (err: Error) => {
    zip.outputStream.unpipe(out);
    out.destroy(err);
  };
  zip.outputStream.on('error', stop);
  zip.outputStream.pipe(out);
  const addAll = async () => {
    for (const entry of entries) {
      if (out.destroyed) return;
      zip.addBuffer(await entry.bytes(), entry.path, { compress: false });
    }
    zip.end();
  };
  addAll().catch((e: unknown) => stop(e instanceof Error ? e : new Error(String(e))));
  return out;
}
