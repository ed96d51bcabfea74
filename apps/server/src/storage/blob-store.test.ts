import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Bucket, hasS3 } from '../../../../test/support/backends.ts';
import { BlobNotFoundError, type BlobStore, sha256Hex } from './blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-'));

const stores: Array<[string, () => Promise<BlobStore>, boolean]> = [
  ['fs', async () => new FsBlobStore(root), true],
  [
    's3',
    async () => {
      const { endpoint, bucket } = await createS3Bucket();
      return new S3BlobStore({
        bucket,
        endpoint,
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
      });
    },
    hasS3(),
  ],
];

describe.each(stores)('%s blob store', (_name, make, available) => {
  let store: BlobStore;
  beforeAll(async () => {
    if (available) {
      store = await make();
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.runIf(available)('round-trips bytes under their sha256 and stores duplicates once', async () => {
    const bytes = Buffer.from(`hello ${Math.random()}`);
    const sha = await store.put(bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(await store.put(Buffer.from(bytes))).toBe(sha);
    expect((await store.get(sha)).equals(bytes)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of await store.stream(sha)) {
      chunks.push(Buffer.from(c));
    }
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it.runIf(available)('reports missing blobs and deletes', async () => {
    const sha = await store.put(Buffer.from(`gone ${Math.random()}`));
    expect(await store.has(sha)).toBe(true);
    await store.delete(sha);
    expect(await store.has(sha)).toBe(false);
    await expect(store.get(sha)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.stream(sha)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it.runIf(available)('refuses keys that are not a sha256', async () => {
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/Not a sha256/);
  });

  it.runIf(available)('answers its health ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('fs blob store atomicity', () => {
  it('leaves no temp file behind and writes the final file whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-atomic-'));
    const store = new FsBlobStore(dir);
    const bytes = Buffer.alloc(256 * 1024, 7);
    const sha = await store.put(bytes);
    const files = fs.readdirSync(dir, { recursive: true }).map(String);
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(fs.statSync(path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha)).size).toBe(bytes.length);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
