import type { Readable } from 'node:stream';
import type { BlobStore, StoredBlob } from '../../apps/server/src/storage/blob-store.ts';

type Op = 'put' | 'has' | 'delete';

/** A point where one store call waits until the test lets it go. */
export interface Gate {
  /** Resolves once a matching call is waiting at the gate. */
  reached: Promise<void>;
  release(): void;
}

interface Pause {
  op: Op;
  sha?: string;
  arrived: () => void;
  go: Promise<void>;
}

/**
 * The real store (fs or S3) with faults on demand: failing writes, and gates that hold one call so a
 * test can interleave two operations deterministically. A put or has waits at its gate after the
 * real call (the blob is stored or the answer known, the caller has not gone on); a delete waits
 * before it.
 */
export class FaultyBlobStore implements BlobStore {
  readonly kind: BlobStore['kind'];
  private failing: Array<{ skip: number; left: number; error: Error }> = [];
  private pauses: Pause[] = [];
  /** Every successful put, in order (sha256 of what was written). */
  readonly puts: string[] = [];

  constructor(private readonly inner: BlobStore) {
    this.kind = inner.kind;
  }

  /** After `skip` puts that succeed, the next `times` throw `error` without writing anything. */
  failPuts({
    times = 1,
    skip = 0,
    error = ioError(),
  }: {
    times?: number;
    skip?: number;
    error?: Error;
  } = {}) {
    this.failing.push({ skip, left: times, error });
  }

  /** Forgets faults and gates that no call has used up. */
  reset(): void {
    this.failing = [];
    this.pauses = [];
  }

  /** Holds the next `op` (of `sha`, or of any blob) until released. */
  pauseNext(op: Op, sha?: string): Gate {
    let arrived = () => {};
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release = () => {};
    const go = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.pauses.push({ op, sha, arrived, go });
    return { reached, release };
  }

  private async gate(op: Op, sha: string): Promise<void> {
    const index = this.pauses.findIndex((p) => p.op === op && (p.sha === undefined || p.sha === sha));
    if (index < 0) return;
    const [pause] = this.pauses.splice(index, 1);
    pause?.arrived();
    await pause?.go;
  }

  async put(bytes: Buffer): Promise<string> {
    const fault = this.failing[0];
    if (fault && fault.skip > 0) {
      fault.skip -= 1;
    } else if (fault) {
      fault.left -= 1;
      if (fault.left <= 0) this.failing.shift();
      throw fault.error;
    }
    const sha = await this.inner.put(bytes);
    this.puts.push(sha);
    await this.gate('put', sha);
    return sha;
  }

  get(sha: string): Promise<Buffer> {
    return this.inner.get(sha);
  }

  stream(sha: string): Promise<Readable> {
    return this.inner.stream(sha);
  }

  async has(sha: string): Promise<boolean> {
    const found = await this.inner.has(sha);
    await this.gate('has', sha);
    return found;
  }

  async delete(sha: string): Promise<void> {
    await this.gate('delete', sha);
    await this.inner.delete(sha);
  }

  list(): AsyncIterable<StoredBlob> {
    return this.inner.list();
  }

  removePartial(before: Date): Promise<number> {
    return this.inner.removePartial(before);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }
}

const ioError = () => Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
