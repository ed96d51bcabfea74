import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertSha, BlobNotFoundError, type BlobStore, sha256Hex } from './blob-store.ts';

/** Blobs as files under `<root>/ab/cd/<sha256>`; written to a temp file, fsynced, then renamed. */
export class FsBlobStore implements BlobStore {
  readonly kind = 'fs';

  constructor(private readonly root: string) {}

  private pathOf(sha: string): string {
    assertSha(sha);
    return path.join(this.root, sha.slice(0, 2), sha.slice(2, 4), sha);
  }

  async put(bytes: Buffer): Promise<string> {
    const sha = sha256Hex(bytes);
    const target = this.pathOf(sha);
    if (await this.has(sha)) {
      return sha;
    }
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(this.root, `.tmp-${randomBytes(8).toString('hex')}`);
    const handle = await fsp.open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, target);
    return sha;
  }

  async get(sha: string): Promise<Buffer> {
    try {
      return await fsp.readFile(this.pathOf(sha));
    } catch (e) {
      throw notFoundOr(e, sha);
    }
  }

  async stream(sha: string): Promise<Readable> {
    const file = this.pathOf(sha);
    if (!(await this.has(sha))) {
      throw new BlobNotFoundError(sha);
    }
    return fs.createReadStream(file);
  }

  async has(sha: string): Promise<boolean> {
    try {
      await fsp.access(this.pathOf(sha));
      return true;
    } catch {
      return false;
    }
  }

  async delete(sha: string): Promise<void> {
    await fsp.rm(this.pathOf(sha), { force: true });
  }

  async ping(): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true });
    await fsp.access(this.root, fs.constants.W_OK);
  }
}

function notFoundOr(e: unknown, sha: string): Error {
  if (e instanceof Error && 'code' in e && e.code === 'ENOENT') {
    return new BlobNotFoundError(sha);
  }
  return e instanceof Error ? e : new Error(String(e));
}
