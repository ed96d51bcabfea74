import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Bucket, hasS3 } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import { type RunningServer, signInAdmin, startServer } from '../../../../test/support/server-process.ts';

/**
 * ZIP exports against the real server process (`main.ts`), so a crash shows as a dead process: a
 * blob missing from disk or S3, a read error after the download began, and a client that goes away
 * mid-download. Each time the server keeps answering and no blob stays open.
 */

interface Uploaded {
  id: number;
  sha256: string;
}

async function upload(server: RunningServer, auth: Record<string, string>, png: Buffer): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'picture.png');
  const res = await fetch(`${server.baseUrl}/api/content-assets/upload`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Uploaded;
}

function download(server: RunningServer, auth: Record<string, string>, ids: number[], requestId: string) {
  return fetch(`${server.baseUrl}/api/content-assets/bulk/download`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ asset_ids: ids }),
  });
}

/** Entry names from the central directory: only a ZIP that was written to its end has one. */
function zipEntryNames(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

const blobPath = (server: RunningServer, sha: string) =>
  path.join(server.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);

/** Blob files the server process holds open right now (Linux /proc). */
function openBlobFiles(server: RunningServer): string[] {
  const dir = `/proc/${server.pid}/fd`;
  const open: string[] = [];
  for (const fd of fs.readdirSync(dir)) {
    try {
      const target = fs.readlinkSync(path.join(dir, fd));
      if (target.startsWith(path.join(server.dataDir, 'blobs'))) open.push(target);
    } catch {
      // closed between listing and reading
    }
  }
  return open;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expectAlive(server: RunningServer, auth: Record<string, string>, ids: number[]) {
  expect(process.kill(server.pid, 0)).toBe(true);
  expect((await fetch(`${server.baseUrl}/api/image-studio/health`)).status).toBe(200);
  const again = await download(server, auth, ids, `alive-${randomBytes(4).toString('hex')}`);
  expect(again.status).toBe(200);
  expect(zipEntryNames(Buffer.from(await again.arrayBuffer()))).toHaveLength(ids.length);
}

/** Random pixels do not compress: a few of these make a ZIP far larger than the socket buffers. */
function noisePng(side: number): Promise<Buffer> {
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

describe('ZIP export on the file system', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await startServer({ WEB_DIST_DIR: '/nonexistent' }, { web: false });
    auth = await signInAdmin(server);
  });
  afterAll(async () => server?.stop());

  it('skips a blob missing from disk, names it in x-missing-files, logs it with the request id', async () => {
    const [a, b, c] = [
      await upload(server, auth, await makePng(40, 30, 1)),
      await upload(server, auth, await makePng(40, 30, 2)),
      await upload(server, auth, await makePng(40, 30, 3)),
    ] as [Uploaded, Uploaded, Uploaded];
    fs.rmSync(blobPath(server, b.sha256));

    const res = await download(server, auth, [a.id, b.id, c.id], 'zip-missing-blob-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-missing-files')).toBe(String(b.id));
    const names = zipEntryNames(Buffer.from(await res.arrayBuffer()));
    expect(names).toHaveLength(2);
    expect(names.some((n) => n.endsWith(`-${a.id}.png`))).toBe(true);
    expect(names.some((n) => n.endsWith(`-${c.id}.png`))).toBe(true);
    const logged = server
      .output()
      .split('\n')
      .filter((l) => l.includes('zip-missing-blob-1') && l.includes('blob is missing'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`"assetId":${b.id}`);

    const none = await download(server, auth, [b.id], 'zip-missing-blob-2');
    expect(none.status).toBe(500);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('blob_missing');
    await expectAlive(server, auth, [a.id, c.id]);
  });

  it('cuts the download off on a read error after it began, and stays up', async () => {
    const a = await upload(server, auth, await makePng(50, 30, 4));
    const broken = await upload(server, auth, await makePng(50, 30, 5));
    // A directory where the file was: it exists, opens, and fails on the first read (EISDIR).
    fs.rmSync(blobPath(server, broken.sha256));
    fs.mkdirSync(blobPath(server, broken.sha256));

    const res = await download(server, auth, [a.id, broken.id], 'zip-read-error-1');
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    await until(
      () => server.output().includes('"reqId":"zip-read-error-1"') && server.output().includes('EISDIR'),
      'the read error is logged with its request id',
    );
    fs.rmdirSync(blobPath(server, broken.sha256));
    await expectAlive(server, auth, [a.id]);
  });

  it('closes the open blob when the client goes away mid-download', async () => {
    const big = [
      await upload(server, auth, await noisePng(1400)),
      await upload(server, auth, await noisePng(1401)),
      await upload(server, auth, await noisePng(1402)),
    ];
    const url = new URL(`${server.baseUrl}/api/content-assets/bulk/download`);
    await new Promise<void>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
      });
      req.on('error', () => undefined);
      req.on('response', (res) => {
        res.once('data', () => {
          // Read no further: the server is held by backpressure with a blob open, then the client leaves.
          res.pause();
          until(() => openBlobFiles(server).length > 0, 'the server holds a blob open')
            .then(() => {
              req.destroy();
              resolve();
            })
            .catch(reject);
        });
      });
      req.end(JSON.stringify({ asset_ids: big.map((u) => u.id) }));
    });
    await until(() => openBlobFiles(server).length === 0, 'no blob stays open after the client left');
    await expectAlive(
      server,
      auth,
      big.map((u) => u.id),
    );
    expect(openBlobFiles(server)).toEqual([]);
  });

  it("skips a missing output in the Social Optimizer's export ZIP", async () => {
    const res = await fetch(`${server.baseUrl}/api/image-studio/social/optimize`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        image_base64: `data:image/png;base64,${(await makePng(320, 240, 6)).toString('base64')}`,
        platforms: ['instagram'],
        format_names: { instagram: ['Story', 'Feed Post (Square)'] },
        output_format: 'jpg',
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { zip_url: string; results: { asset_id: number }[] };
    const [story, square] = body.results as [{ asset_id: number }, { asset_id: number }];
    const storyAsset = (await (
      await fetch(`${server.baseUrl}/api/content-assets/${story.asset_id}`, { headers: auth })
    ).json()) as Uploaded;
    fs.rmSync(blobPath(server, storyAsset.sha256));

    const zip = await fetch(`${server.baseUrl}${body.zip_url}`, {
      headers: { ...auth, 'x-request-id': 'social-zip-missing-1' },
    });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('x-missing-files')).toBe(String(story.asset_id));
    const names = zipEntryNames(Buffer.from(await zip.arrayBuffer()));
    expect(names).toHaveLength(1);
    expect(names[0]).toContain(`-${square.asset_id}.jpg`);
    expect(server.output()).toContain('"reqId":"social-zip-missing-1"');
    expect((await fetch(`${server.baseUrl}/api/image-studio/health`)).status).toBe(200);
  });
});

describe.runIf(hasS3())('ZIP export on S3', () => {
  let server: RunningServer;
  let auth: Record<string, string>;
  let bucket: { endpoint: string; bucket: string };

  beforeAll(async () => {
    bucket = await createS3Bucket();
    server = await startServer(
      {
        WEB_DIST_DIR: '/nonexistent',
        S3_BUCKET: bucket.bucket,
        S3_ENDPOINT: bucket.endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      },
      { web: false },
    );
    auth = await signInAdmin(server);
  });
  afterAll(async () => server?.stop());

  it('skips a blob deleted from the bucket, names it, logs it, and stays up', async () => {
    const a = await upload(server, auth, await makePng(40, 30, 11));
    const gone = await upload(server, auth, await makePng(40, 30, 12));
    const s3 = new S3Client({
      endpoint: bucket.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.bucket, Key: `blobs/${gone.sha256}` }));
    s3.destroy();

    const res = await download(server, auth, [gone.id, a.id], 'zip-s3-missing-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-missing-files')).toBe(String(gone.id));
    const names = zipEntryNames(Buffer.from(await res.arrayBuffer()));
    expect(names).toHaveLength(1);
    expect(names[0]).toContain(`-${a.id}.png`);
    expect(server.output()).toContain('"reqId":"zip-s3-missing-1"');
    const none = await download(server, auth, [gone.id], 'zip-s3-missing-2');
    expect(none.status).toBe(500);
    await expectAlive(server, auth, [a.id]);
  });

  it('cuts the download off when an object reads short of its recorded size, and stays up', async () => {
    const a = await upload(server, auth, await makePng(40, 30, 13));
    const damaged = await upload(server, auth, await makePng(40, 30, 14));
    const s3 = new S3Client({
      endpoint: bucket.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket.bucket,
        Key: `blobs/${damaged.sha256}`,
        Body: Buffer.from('short'),
      }),
    );
    s3.destroy();

    const res = await download(server, auth, [a.id, damaged.id], 'zip-s3-short-1');
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    await until(
      () =>
        server.output().includes('"reqId":"zip-s3-short-1"') &&
        server.output().includes('unexpected number of bytes'),
      'the failure is logged with its request id',
    );
    await expectAlive(server, auth, [a.id]);
  });
});
