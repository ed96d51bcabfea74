import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  assertSha,
  BlobNotFoundError,
  type BlobStore,
  isSha,
  type StoredBlob,
  sha256Hex,
} from './blob-store.ts';

const TEMP_PREFIX = '.tmp-';
const FAN_OUT_RE = /^[0-9a-f]{2}$/;

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
    const tmp = path.join(this.root, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
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

  async *list(): AsyncIterable<StoredBlob> {
    for (const first of await subdirs(this.root)) {
      for (const second of await subdirs(path.join(this.root, first))) {
        const dir = path.join(this.root, first, second);
        for (const name of await entries(dir)) {
          if (!isSha(name)) continue;
          const stat = await fsp.stat(path.join(dir, name)).catch(() => undefined);
          if (stat) yield { sha256: name, modifiedAt: stat.mtime };
        }
      }
    }
  }

  async removePartial(before: Date): Promise<number> {
    let removed = 0;
    for (const name of await entries(this.root)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const file = path.join(this.root, name);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (stat && stat.mtime < before) {
        await fsp.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async ping(): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true });
    await fsp.access(this.root, fs.constants.W_OK);
  }
}

/** Names in a folder; none when it does not exist (yet) — a fresh store has no fan-out folders. */
async function entries(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return [];
    throw e;
  }
}

async function subdirs(dir: string): Promise<string[]> {
  return (await entries(dir)).filter((name) => FAN_OUT_RE.test(name)).sort();
}

function notFoundOr(e: unknown, sha: string): Error {
  if (e instanceof Error && 'code' in e && e.code === 'ENOENT') {
    return new BlobNotFoundError(sha);
  }
  return e instanceof Error ? e : new Error(String(e));
}
