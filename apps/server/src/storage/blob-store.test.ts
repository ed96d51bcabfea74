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

  it.runIf(available)(
    'lists every stored blob with a modification time, and no longer a deleted one',
    async () => {
      const kept = await store.put(Buffer.from(`listed ${Math.random()}`));
      const gone = await store.put(Buffer.from(`unlisted ${Math.random()}`));
      await store.delete(gone);
      const listed = new Map<string, Date>();
      for await (const blob of store.list()) listed.set(blob.sha256, blob.modifiedAt);
      expect(listed.has(kept)).toBe(true);
      expect(listed.has(gone)).toBe(false);
      const age = Date.now() - (listed.get(kept)?.getTime() ?? 0);
      expect(Math.abs(age)).toBeLessThan(10 * 60_000);
    },
  );

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

  it('removes temp files an interrupted write left behind once they are older than asked, and never lists them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-partial-'));
    const store = new FsBlobStore(dir);
    const sha = await store.put(Buffer.from('whole'));
    const old = path.join(dir, '.tmp-0123456789abcdef');
    const fresh = path.join(dir, '.tmp-fedcba9876543210');
    fs.writeFileSync(old, 'half a blo');
    fs.writeFileSync(fresh, 'being writ');
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(old, hourAgo, hourAgo);
    const listed: string[] = [];
    for await (const blob of store.list()) listed.push(blob.sha256);
    expect(listed).toEqual([sha]);
    expect(await store.removePartial(new Date(Date.now() - 60_000))).toBe(1);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    expect(await store.has(sha)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists nothing (and does not fail) before the first blob was written', async () => {
    const store = new FsBlobStore(path.join(os.tmpdir(), `blobs-none-${Math.random()}`));
    const listed: string[] = [];
    for await (const blob of store.list()) listed.push(blob.sha256);
    expect(listed).toEqual([]);
    expect(await store.removePartial(new Date())).toBe(0);
  });
});
