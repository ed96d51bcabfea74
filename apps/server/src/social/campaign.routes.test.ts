import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, hasRedis } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { unzip } from '../../../../test/support/unzip.ts';
import { sceneWithSubject } from '../imaging/test-images.ts';

interface Caller {
  token: string;
  userId: number;
}

interface CampaignAnswer {
  job_id: string;
  zip_url: string;
  total_optimized: number;
  sources: Array<{
    folder: string;
    source_asset_id: number;
    results: Array<{ format_id: string; file: string; width: number; height: number; asset_id: number }>;
  }>;
}

const BACKENDS = [
  ['sqlite', 'inline', true],
  ['postgres', 'bullmq', hasPostgres() && hasRedis()],
] as const;

/** Instagram square post and X post: 1080×1080 and 1200×675. */
const FORMATS = {
  platforms: JSON.stringify(['instagram', 'twitter']),
  format_names: JSON.stringify({ instagram: 'Square Post', twitter: 'Post' }),
};
const SIZES: Record<string, [number, number]> = {
  'instagram.feed_square': [1080, 1080],
  'twitter.post': [1200, 675],
};

type Part = { name: string; value: string } | { name: string; filename: string; bytes: Buffer };

function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----campaign${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('bytes' in p) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        p.bytes,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(BACKENDS)('social campaigns (%s, %s jobs)', (dialect, runner, available) => {
  let t: TestApp;
  let alice: Caller;
  let bob: Caller;
  let photos: Buffer[];

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({
      dialect,
      runner,
      env: {
        SOCIAL_CAMPAIGN_MAX_SOURCES: '4',
        SOCIAL_CAMPAIGN_MAX_MEGAPIXELS: '6',
        // 3 sources × 2 formats answer in the request; 3 × 3 goes to the background.
        SOCIAL_CAMPAIGN_INLINE_OUTPUTS: '8',
      },
    });
    alice = await setupAdmin(t.app);
    bob = await addUser(t.app, alice.token, 'bob@example.com');
    photos = await Promise.all([
      sceneWithSubject(1200, 900, { left: 100, top: 100, width: 200, height: 240 }),
      sceneWithSubject(900, 1200, { left: 500, top: 700, width: 200, height: 240 }),
      sceneWithSubject(1000, 1000, { left: 400, top: 400, width: 200, height: 240 }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const upload = async (who: Caller, bytes: Buffer, title: string) => {
    const body = multipart([
      { name: 'file', filename: `${title}.jpg`, bytes },
      { name: 'title', value: title },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/upload',
      headers: { ...bearer(who.token), 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: number }>().id;
  };
  const campaign = (who: Caller, parts: Part[], query = '') => {
    const body = multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: `/api/image-studio/social/campaign${query}`,
      headers: { ...bearer(who.token), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const formatParts = (extra: Record<string, string> = {}): Part[] =>
    Object.entries({ ...FORMATS, output_format: 'jpeg', ...extra }).map(([name, value]) => ({ name, value }));
  const socialAssets = async (who: Caller) => {
    const res = await t.app.inject({
      url: '/api/content-assets?limit=100&source_module=social',
      headers: bearer(who.token),
    });
    return res
      .json<{ assets: Array<{ source_module: string }> }>()
      .assets.filter((a) => a.source_module === 'social').length;
  };
  const allAssets = async (who: Caller) => {
    const res = await t.app.inject({ url: '/api/content-assets?limit=100', headers: bearer(who.token) });
    return res.json<{ total: number }>().total;
  };
  const blobFiles = () =>
    readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter(
      (d) => d.isFile() && !d.name.startsWith('studio.db'),
    ).length;

  it.runIf(available)(
    'three sources (two files of the same name and a library image) → one ZIP, a folder each, every file its size',
    async () => {
      const [a, b, c] = photos as [Buffer, Buffer, Buffer];
      const libraryId = await upload(alice, c, 'Café portrait');
      const res = await campaign(alice, [
        { name: 'files', filename: 'Beach day.jpg', bytes: a },
        { name: 'files', filename: 'Beach day.jpeg', bytes: b },
        { name: 'asset_ids', value: JSON.stringify([libraryId]) },
        ...formatParts(),
      ]);
      expect(res.statusCode, res.body).toBe(200);
      const answer = res.json<CampaignAnswer>();
      expect(answer.sources.map((s) => s.folder)).toEqual(['Beach-day', 'Beach-day-2', 'Cafe-portrait']);
      expect(answer.sources[2]?.source_asset_id).toBe(libraryId);
      expect(answer.total_optimized).toBe(6);

      const zip = await t.app.inject({ url: answer.zip_url, headers: bearer(alice.token) });
      expect(zip.statusCode, zip.body.slice(0, 200)).toBe(200);
      expect(zip.headers['content-type']).toBe('application/zip');
      const entries = unzip(zip.rawPayload);
      expect([...entries.keys()].sort()).toEqual(
        answer.sources.flatMap((s) => s.results.map((r) => r.file)).sort(),
      );
      const folders = new Set([...entries.keys()].map((k) => k.split('/')[0]));
      expect([...folders].sort()).toEqual(['Beach-day', 'Beach-day-2', 'Cafe-portrait']);
      for (const source of answer.sources) {
        expect(source.results.map((r) => r.format_id).sort()).toEqual(Object.keys(SIZES).sort());
        for (const r of source.results) {
          const meta = await sharp(entries.get(r.file)).metadata();
          expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', ...(SIZES[r.format_id] ?? [])]);
        }
      }

      // The same ZIP straight from the run; nobody else reaches a campaign's ZIP.
      const direct = await campaign(
        alice,
        [{ name: 'files', filename: 'one.jpg', bytes: a }, ...formatParts()],
        '?download=zip',
      );
      expect(direct.statusCode).toBe(200);
      expect([...unzip(direct.rawPayload).keys()].sort()).toEqual([
        'one/instagram-feed-square.jpg',
        'one/twitter-post.jpg',
      ]);
      // Sources in JSON too: base64 images named for their folders.
      const json = await t.app.inject({
        method: 'POST',
        url: '/api/image-studio/social/campaign?download=zip',
        headers: bearer(alice.token),
        payload: {
          images: [{ image_base64: a.toString('base64'), name: 'From JSON.jpg' }],
          platforms: ['twitter'],
          format_names: { twitter: 'Post' },
          output_format: 'jpeg',
        },
      });
      expect(json.statusCode, json.body.slice(0, 200)).toBe(200);
      const jsonEntries = unzip(json.rawPayload);
      expect([...jsonEntries.keys()]).toEqual(['From-JSON/twitter-post.jpg']);
      const jsonMeta = await sharp(jsonEntries.get('From-JSON/twitter-post.jpg')).metadata();
      expect([jsonMeta.width, jsonMeta.height]).toEqual([1200, 675]);
      const foreign = await t.app.inject({ url: answer.zip_url, headers: bearer(bob.token) });
      expect(foreign.statusCode).toBe(404);
      const foreignAsset = await campaign(bob, [
        { name: 'asset_ids', value: JSON.stringify([libraryId]) },
        ...formatParts(),
      ]);
      expect(foreignAsset.statusCode).toBe(404);
    },
    120_000,
  );

  it.runIf(available)(
    'a large campaign runs as a job with progress events per source',
    async () => {
      // Holding the one local-model slot keeps the job at its first source until we listen.
      let release = () => {};
      const gate = new Promise<void>((r) => (release = r));
      const held = t.ctx.admission.localModel(1, undefined, () => gate);
      const res = await campaign(alice, [
        ...photos.map((bytes, i) => ({ name: 'files', filename: `shot ${i + 1}.jpg`, bytes })),
        ...formatParts({
          platforms: JSON.stringify(['instagram', 'twitter', 'linkedin']),
        }),
      ]);
      expect(res.statusCode, res.body).toBe(202);
      const jobId = res.json<{ job_id: string }>().job_id;
      const messages: string[] = [];
      const ended = new Promise<string>((resolve) => {
        const stop = t.ctx.jobs.subscribe(jobId, (e) => {
          if (e.message) messages.push(e.message);
          if (e.status !== 'running' && e.status !== 'queued') {
            stop();
            resolve(e.status);
          }
        });
      });
      release();
      await held;
      expect(await ended).toBe('succeeded');
      for (const n of [1, 2, 3]) expect(messages).toContain(`source ${n} of 3 done: shot-${n}`);
      const job = await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(alice.token) });
      const result = job.json<{ type: string; result: CampaignAnswer }>();
      expect(result.type).toBe('social');
      expect(result.result.sources.map((s) => s.results.length)).toEqual([3, 3, 3]);
    },
    120_000,
  );

  it.runIf(available)(
    'a bad third source is a 4xx naming it, and nothing is saved',
    async () => {
      const [a, b] = photos as [Buffer, Buffer];
      await t.ctx.assets.thumbnailsSettled(); // earlier tests' thumbnails are not this test's writes
      const before = { assets: await allAssets(alice), blobs: blobFiles() };
      const truncated = b.subarray(0, Math.floor(b.length / 2));
      const broken = await campaign(alice, [
        { name: 'files', filename: 'ok-1.jpg', bytes: a },
        { name: 'files', filename: 'ok-2.jpg', bytes: b },
        { name: 'files', filename: 'cut.jpg', bytes: truncated },
        ...formatParts(),
      ]);
      expect(broken.statusCode).toBe(400);
      expect(broken.json().error.message).toMatch(/^Source 3 \("cut\.jpg"\): .*truncated or corrupt/);
      const notImage = await campaign(alice, [
        { name: 'files', filename: 'ok-1.jpg', bytes: a },
        { name: 'files', filename: 'ok-2.jpg', bytes: b },
        { name: 'files', filename: 'notes.txt', bytes: Buffer.from('not an image at all') },
        ...formatParts(),
      ]);
      expect(notImage.statusCode).toBe(415);
      expect(notImage.json().error.message).toMatch(/^Source 3 \("notes\.txt"\)/);
      // Limits, counted from the headers: five sources (max 4), and 4 × 1.08 MP past 6 MP with a big one.
      const tooMany = await campaign(alice, [
        ...[1, 2, 3, 4, 5].map((i) => ({ name: 'files', filename: `${i}.jpg`, bytes: a })),
        ...formatParts(),
      ]);
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().error.message).toBe('A campaign takes at most 4 sources; this one has 5.');
      const big = await sharp({ create: { width: 3000, height: 1800, channels: 3, background: '#567' } })
        .jpeg()
        .toBuffer();
      const tooLarge = await campaign(alice, [
        { name: 'files', filename: 'a.jpg', bytes: a },
        { name: 'files', filename: 'big.jpg', bytes: big },
        ...formatParts(),
      ]);
      expect(tooLarge.statusCode).toBe(413);
      expect(tooLarge.json().error.message).toMatch(/MP together; a campaign takes at most 6 MP/);
      expect({ assets: await allAssets(alice), blobs: blobFiles() }).toEqual(before);
    },
    120_000,
  );

  it.runIf(available)(
    'a canceled campaign saves no output',
    async () => {
      const outputsBefore = await socialAssets(alice);
      let release = () => {};
      const gate = new Promise<void>((r) => (release = r));
      const held = t.ctx.admission.localModel(1, undefined, () => gate);
      const res = await campaign(alice, [
        { name: 'files', filename: 'c1.jpg', bytes: photos[0] as Buffer },
        { name: 'files', filename: 'c2.jpg', bytes: photos[1] as Buffer },
        ...formatParts({ async: 'true' }),
      ]);
      expect(res.statusCode, res.body).toBe(202);
      const jobId = res.json<{ job_id: string }>().job_id;
      const cancel = await t.app.inject({
        method: 'POST',
        url: `/api/jobs/${jobId}/cancel`,
        headers: bearer(alice.token),
      });
      expect(cancel.statusCode, cancel.body).toBe(200);
      release();
      await held;
      const job = await t.ctx.jobs.waitFor(jobId);
      expect(job.status).toBe('canceled');
      expect(await socialAssets(alice)).toBe(outputsBefore);
      const zip = await t.app.inject({
        url: `/api/image-studio/social/campaigns/${jobId}.zip`,
        headers: bearer(alice.token),
      });
      expect(zip.statusCode).toBe(409);
    },
    120_000,
  );
});
