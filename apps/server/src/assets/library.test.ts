import type { Asset, AssetList } from '@studio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import type { NewAssetInput } from './asset.service.ts';

interface Caller {
  token: string;
  userId: number;
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('asset library on %s', (dialect, available) => {
  let t: TestApp;
  let alice: Caller;
  let bob: Caller;
  let seed = 1000;

  const make = async (who: Caller, extra: Partial<NewAssetInput> = {}): Promise<Asset> =>
    (
      await t.ctx.assets.create({
        userId: who.userId,
        bytes: await makePng(12, 10, seed++),
        sourceModule: 'image_studio',
        ...extra,
      })
    ).asset;
  const list = async (who: Caller, query: string): Promise<AssetList> => {
    const res = await t.app.inject({ url: `/api/content-assets?${query}`, headers: bearer(who.token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AssetList>();
  };
  const ids = (l: AssetList) => l.assets.map((a) => a.id);
  const req = (who: Caller, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(who.token), payload });

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect });
    const admin = await setupAdmin(t.app);
    alice = { token: admin.token, userId: admin.userId };
    const b = await addUser(t.app, admin.token, 'bob@example.com');
    bob = { token: b.token, userId: b.userId };
  });
  afterAll(async () => t?.close());

  it.runIf(available)(
    'uploads dedupe per user: same bytes → 200 with the same asset; new bytes → 201',
    async () => {
      const png = await makePng(20, 14, 1);
      const first = await req(alice, 'POST', '/api/content-assets/upload', {
        image_base64: png.toString('base64'),
        title: 'first',
        tags: ['upload-test'],
      });
      expect(first.statusCode, first.body).toBe(201);
      const asset = first.json<Asset>();
      expect(asset).toMatchObject({
        width: 20,
        height: 14,
        format: 'png',
        source_module: 'upload',
        title: 'first',
      });
      expect(asset.thumbhash).toBeTruthy();

      const again = await req(alice, 'POST', '/api/content-assets/upload', {
        image_base64: `data:image/png;base64,${png.toString('base64')}`,
      });
      expect(again.statusCode).toBe(200);
      expect(again.json<Asset>().id).toBe(asset.id);

      const boundary = 'xBOUNDARYx';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="tags"\r\n\r\nholiday, beach\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Sunny day.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        await makePng(30, 10, 2),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const multipart = await t.app.inject({
        method: 'POST',
        url: '/api/content-assets/upload',
        headers: { ...bearer(alice.token), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
      expect(multipart.statusCode, multipart.body).toBe(201);
      expect(multipart.json<Asset>()).toMatchObject({
        title: 'Sunny day',
        width: 30,
        tags: ['holiday', 'beach'],
      });

      // A form field the body schema takes as text stays text, even when it reads as a JSON number.
      const form = (fields: string, file?: Buffer) =>
        t.app.inject({
          method: 'POST',
          url: '/api/content-assets/upload',
          headers: { ...bearer(alice.token), 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: Buffer.concat([
            Buffer.from(fields.replaceAll('\n', '\r\n')),
            file
              ? Buffer.concat([
                  Buffer.from(
                    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
                  ),
                  file,
                  Buffer.from('\r\n'),
                ])
              : Buffer.alloc(0),
            Buffer.from(`--${boundary}--\r\n`),
          ]),
        });
      const year = await form(
        `--${boundary}\nContent-Disposition: form-data; name="title"\n\n2024\n`,
        await makePng(12, 12, 5),
      );
      expect(year.statusCode, year.body).toBe(201);
      expect(year.json<Asset>().title).toBe('2024');

      const rowsBefore = (await req(alice, 'GET', '/api/content-assets?limit=100')).json<{ total: number }>()
        .total;
      const noFile = await form(`--${boundary}\nContent-Disposition: form-data; name="title"\n\nno file\n`);
      expect(noFile.statusCode).toBe(400);
      expect(noFile.json()).toMatchObject({
        error: {
          code: 'validation_failed',
          message: 'file: send the image as a multipart `file` part or as image_base64.',
        },
      });
      expect((await req(alice, 'GET', '/api/content-assets?limit=100')).json<{ total: number }>().total).toBe(
        rowsBefore,
      );

      const bad = await req(alice, 'POST', '/api/content-assets/upload', {
        image_base64: 'bm90IGFuIGltYWdl',
      });
      expect(bad.statusCode).toBe(415);

      // Bob's copy of the same bytes is his own asset.
      const bobs = await req(bob, 'POST', '/api/content-assets/upload', {
        image_base64: png.toString('base64'),
      });
      expect(bobs.statusCode).toBe(201);
      expect(bobs.json<Asset>().id).not.toBe(asset.id);
    },
  );

  it.runIf(available)(
    'deleting one of two rows sharing a blob keeps the blob; the last one releases it',
    async () => {
      const bytes = await makePng(16, 16, 77);
      const a = (await t.ctx.assets.create({ userId: alice.userId, bytes, sourceModule: 'upload' })).asset;
      const b = (await t.ctx.assets.create({ userId: bob.userId, bytes, sourceModule: 'upload' })).asset;
      expect(a.sha256).toBe(b.sha256);
      const gone = await req(alice, 'DELETE', `/api/content-assets/${a.id}?permanent=true`);
      expect(gone.json()).toEqual({ asset_id: a.id, deleted: true, permanent: true });
      const file = await req(bob, 'GET', `/api/content-assets/${b.id}/file`);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(bytes)).toBe(true);
      expect(await t.ctx.blobs.has(b.sha256)).toBe(true);
      await req(bob, 'DELETE', `/api/content-assets/${b.id}?permanent=true`);
      expect(await t.ctx.blobs.has(b.sha256)).toBe(false);
    },
  );

  it.runIf(available)(
    'trash: delete moves to trash, restore brings back, empty and retention purge',
    async () => {
      const before = (await list(alice, 'limit=1')).total;
      const a = await make(alice, { title: 'trash me' });
      expect((await list(alice, 'limit=1')).total).toBe(before + 1);
      const del = await req(alice, 'DELETE', `/api/content-assets/${a.id}`);
      expect((await list(alice, 'limit=1')).total).toBe(before);
      expect((await req(alice, 'DELETE', `/api/content-assets/${a.id}`)).statusCode).toBe(200);
      expect((await list(alice, 'limit=1')).total).toBe(before);
      expect(del.statusCode).toBe(200);
      expect(del.json()).toEqual({ asset_id: a.id, deleted: true, permanent: false });
      expect(ids(await list(alice, 'limit=500'))).not.toContain(a.id);
      const trash = await list(alice, 'trashed=true');
      expect(ids(trash)).toContain(a.id);
      expect(trash.assets.find((x) => x.id === a.id)?.deleted_at).toBeTruthy();
      expect((await req(bob, 'POST', `/api/content-assets/${a.id}/restore`)).statusCode).toBe(404);
      const restored = await req(alice, 'POST', `/api/content-assets/${a.id}/restore`);
      expect(restored.json<Asset>().deleted_at).toBeNull();
      expect(ids(await list(alice, 'limit=500'))).toContain(a.id);
      expect((await list(alice, 'limit=1')).total).toBe(before + 1);

      await req(alice, 'DELETE', `/api/content-assets/${a.id}`);
      // A fresh trash survives a 30-day retention but not a 0-day one.
      expect(await t.ctx.trash.purgeExpired(30)).toBe(0);
      expect((await req(alice, 'GET', `/api/content-assets/${a.id}`)).statusCode).toBe(200);
      expect(await t.ctx.trash.purgeExpired(0)).toBeGreaterThanOrEqual(1);
      expect((await req(alice, 'GET', `/api/content-assets/${a.id}`)).statusCode).toBe(404);

      const b = await make(alice);
      const bobsOwn = await make(bob);
      await req(alice, 'DELETE', `/api/content-assets/${b.id}`);
      await req(bob, 'DELETE', `/api/content-assets/${bobsOwn.id}`);
      const emptied = await req(alice, 'DELETE', '/api/content-assets/trash');
      expect(emptied.json()).toEqual({ purged: 1 });
      const live = await make(alice);
      await req(alice, 'DELETE', `/api/content-assets/${live.id}?permanent=true`);
      expect((await list(alice, 'limit=1')).total).toBe(before);
      expect((await req(alice, 'GET', '/api/content-assets/statistics')).json().total).toBe(before);
      expect(ids(await list(bob, 'trashed=true'))).toContain(bobsOwn.id);
      expect((await req(bob, 'DELETE', '/api/content-assets/999999')).statusCode).toBe(404);
    },
  );

  it.runIf(available)('listing is compatible with the original and validates its parameters', async () => {
    const x = await make(alice, { sourceModule: 'story_writer', tags: ['alpha', 'beta'], costCredits: 250 });
    const y = await make(alice, { sourceModule: 'story_writer', tags: ['gamma'], costCredits: 10 });
    await t.ctx.db.kysely
      .updateTable('assets')
      .set({ created_at: '2020-03-05T10:00:00.000Z' })
      .where('id', '=', x.id)
      .execute();
    const page = await list(alice, 'source_module=story_writer&asset_type=image');
    expect(page).toMatchObject({ total: 2, limit: 100, offset: 0 });
    expect(ids(page)).toEqual([y.id, x.id]);
    expect(ids(await list(alice, 'source_module=story_writer&sort_by=cost&sort_order=asc'))).toEqual([
      y.id,
      x.id,
    ]);
    expect(ids(await list(alice, 'source_module=story_writer&tags=beta,zzz'))).toEqual([x.id]);
    expect(ids(await list(alice, 'source_module=story_writer&date_to=2020-03-05'))).toEqual([x.id]);
    expect(ids(await list(alice, 'source_module=story_writer&date_from=2020-03-05T10:00:01Z'))).toEqual([
      y.id,
    ]);
    expect(ids(await list(alice, 'source_module=story_writer&limit=1&offset=1'))).toEqual([x.id]);
    const fav = await req(alice, 'POST', `/api/content-assets/${x.id}/favorite`);
    expect(fav.json()).toEqual({ asset_id: x.id, is_favorite: true });
    expect(ids(await list(alice, 'source_module=story_writer&favorites_only=true'))).toEqual([x.id]);
    expect((await list(alice, 'source_module=story_writer&favorites_only=false')).total).toBe(2);
    for (const bad of [
      'asset_type=picture',
      'source_module=nope',
      'sort_by=color',
      'sort_order=up',
      'date_from=yesterday',
      'limit=0',
      'limit=501',
      'offset=-1',
      'cursor=garbage',
    ]) {
      const res = await req(alice, 'GET', `/api/content-assets?${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it.runIf(available)('cursor pages are stable under inserts', async () => {
    const op = `cursor-${dialect}`;
    const made: number[] = [];
    for (let i = 0; i < 7; i++) made.push((await make(alice, { operation: op })).id);
    const seen: number[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const page: AssetList = await list(
        alice,
        `operation=${op}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...ids(page));
      cursor = page.next_cursor;
      if (inserted++ === 0) await make(alice, { operation: op });
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    const titled = await list(alice, `operation=${op}&sort_by=title&sort_order=asc&limit=2`);
    const next = await list(
      alice,
      `operation=${op}&sort_by=title&sort_order=asc&limit=50&cursor=${encodeURIComponent(titled.next_cursor ?? '')}`,
    );
    expect(new Set([...ids(titled), ...ids(next)]).size).toBe(8);
    const mismatch = await req(
      alice,
      'GET',
      `/api/content-assets?operation=${op}&sort_by=cost&cursor=${encodeURIComponent(titled.next_cursor ?? '')}`,
    );
    expect(mismatch.statusCode).toBe(400);
  });

  it.runIf(available)(
    'full-text search ranks and covers title, prompt, tags, provider, model; hostile input is safe',
    async () => {
      const titled = await make(alice, { title: 'Lighthouse at dusk', prompt: 'a tower by the sea' });
      const prompted = await make(alice, { title: 'Seascape', prompt: 'an old lighthouse on the rocks' });
      const tagged = await make(alice, { title: 'Untitled', tags: ['zeppelin'] });
      const byModel = await make(alice, { provider: 'wavespeed', model: 'qwen-image-edit' });
      const accented = await make(alice, { title: 'Crème brûlée still life' });
      const stemmed = await make(alice, { title: 'Horses running on a beach' });
      await make(bob, { title: 'Lighthouse of Bob' });

      expect(ids(await list(alice, 'search=lighthouse'))).toEqual([titled.id, prompted.id]);
      expect(ids(await list(alice, 'search=LIGHTHOUSE%20rocks'))).toEqual([prompted.id]);
      expect(ids(await list(alice, 'search=zeppelin'))).toEqual([tagged.id]);
      expect(ids(await list(alice, 'search=wavespeed'))).toEqual([byModel.id]);
      expect(ids(await list(alice, 'search=qwen'))).toEqual([byModel.id]);
      expect(ids(await list(alice, 'search=creme%20brulee'))).toEqual([accented.id]);
      expect(ids(await list(alice, 'search=horse%20run'))).toEqual([stemmed.id]);
      expect(ids(await list(alice, 'search=the%20lighthouse&sort_by=created_at'))).toEqual([
        prompted.id,
        titled.id,
      ]);

      for (const hostile of [
        '"',
        '""',
        '"lighthouse',
        'lighthouse"',
        '-',
        '-lighthouse',
        'AND',
        'lighthouse AND',
        'OR lighthouse',
        'NOT',
        '*',
        'light*',
        'NEAR(a b)',
        '(',
        ')',
        ':',
        'title:lighthouse',
        '^',
        "'; DROP TABLE assets; --",
        '\\',
        '%',
        '_',
        '😀',
        'ÅÄÖ 中文 العربية',
        '   ',
        '&|!<->',
        'x'.repeat(500),
      ]) {
        const res = await req(alice, 'GET', `/api/content-assets?search=${encodeURIComponent(hostile)}`);
        expect(res.statusCode, hostile).toBe(200);
      }
      expect((await list(alice, `search=${encodeURIComponent('"lighthouse')}`)).total).toBe(2);
      expect((await list(alice, `search=${encodeURIComponent('-lighthouse')}`)).total).toBe(2);
      expect((await list(alice, 'search=')).total).toBeGreaterThan(5);
    },
  );

  it.runIf(available)('filters by provider, model, operation, platform, size and parent', async () => {
    const parent = await make(alice, { provider: 'stability', model: 'sd3.5-large', operation: 'generate' });
    const child = await make(alice, {
      operation: 'social',
      params: { platform: 'instagram', format_id: 'instagram.square' },
      tags: ['instagram'],
      parentIds: [parent.id],
    });
    const tagOnly = await make(alice, { operation: 'social', tags: ['tiktok'], parentIds: [parent.id] });
    const big = (
      await t.ctx.assets.create({
        userId: alice.userId,
        bytes: await makePng(300, 40, 5),
        sourceModule: 'upload',
      })
    ).asset;
    expect(ids(await list(alice, 'provider=stability&model=sd3.5-large'))).toEqual([parent.id]);
    expect(ids(await list(alice, 'operation=social&platform=instagram'))).toEqual([child.id]);
    expect(ids(await list(alice, 'platform=tiktok'))).toEqual([tagOnly.id]);
    expect(ids(await list(alice, `parent_id=${parent.id}`))).toEqual([tagOnly.id, child.id]);
    expect(ids(await list(alice, 'min_width=200&max_width=400&max_height=40'))).toEqual([big.id]);
  });

  it.runIf(available)('favorites, usage, update merge and statistics', async () => {
    const a = await make(alice, {
      provider: 'stability',
      title: 'stats',
      params: { seed: 1 },
      costCredits: 6.5,
      sourceModule: 'video_studio',
    });
    expect((await req(bob, 'POST', `/api/content-assets/${a.id}/favorite`)).statusCode).toBe(404);
    expect((await req(alice, 'POST', '/api/content-assets/987654/favorite')).statusCode).toBe(404);
    await req(alice, 'POST', `/api/content-assets/${a.id}/favorite`);
    const off = await req(alice, 'POST', `/api/content-assets/${a.id}/favorite`);
    expect(off.json()).toEqual({ asset_id: a.id, is_favorite: false });

    const use = await req(alice, 'POST', `/api/content-assets/${a.id}/usage?action=download`);
    expect(use.json()).toEqual({ asset_id: a.id, action: 'download', tracked: true });
    await req(alice, 'POST', `/api/content-assets/${a.id}/usage?action=share`);
    await req(alice, 'POST', `/api/content-assets/${a.id}/usage?action=access`);
    expect((await req(alice, 'POST', `/api/content-assets/${a.id}/usage?action=print`)).statusCode).toBe(400);
    expect((await req(bob, 'POST', `/api/content-assets/${a.id}/usage?action=share`)).statusCode).toBe(404);

    const put = await req(alice, 'PUT', `/api/content-assets/${a.id}`, {
      title: 'renamed',
      tags: ['one', 'two', 'one'],
      asset_metadata: { status: 'completed' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<Asset>()).toMatchObject({
      title: 'renamed',
      tags: ['one', 'two'],
      params: { seed: 1, status: 'completed' },
      download_count: 1,
      share_count: 1,
      access_count: 1,
    });
    expect(put.json<Asset>().last_accessed).toBeTruthy();
    expect((await req(bob, 'PUT', `/api/content-assets/${a.id}`, { title: 'x' })).statusCode).toBe(404);
    expect(ids(await list(alice, 'search=renamed'))).toEqual([a.id]);
    expect(ids(await list(alice, 'tags=two'))).toEqual([a.id]);
    await req(alice, 'PUT', `/api/content-assets/${a.id}`, { tags: ['three'] });
    expect(ids(await list(alice, 'tags=two'))).toEqual([]);
    expect(ids(await list(alice, 'tags=three,nothing'))).toEqual([a.id]);
    await req(alice, 'PUT', `/api/content-assets/${a.id}`, { asset_metadata: { platform: 'pinterest' } });
    expect(ids(await list(alice, 'platform=pinterest'))).toEqual([a.id]);

    const stats = (await req(alice, 'GET', '/api/content-assets/statistics')).json();
    const all = await list(alice, 'limit=500');
    expect(stats.total).toBe(all.total);
    expect(stats.by_source.video_studio).toBe(1);
    expect(stats.by_provider.stability).toBeGreaterThanOrEqual(1);
    expect(stats.by_type.image).toBe(all.total);
    expect(stats.total_cost_credits).toBeCloseTo(
      all.assets.reduce((s, x) => s + x.cost_credits, 0),
      6,
    );
    expect(stats.favorites_count).toBe(all.assets.filter((x) => x.is_favorite).length);
  });

  it.runIf(available)(
    'collections: create, rename, cover, add/remove, list assets, delete detaches',
    async () => {
      const a = await make(alice);
      const b = await make(alice);
      const foreign = await make(bob);
      const created = await req(alice, 'POST', '/api/content-assets/collections', { name: 'Trips' });
      expect(created.statusCode).toBe(201);
      const col = created.json();
      expect(col).toMatchObject({ name: 'Trips', is_public: false, asset_count: 0, cover_asset_id: null });

      const added = await req(alice, 'POST', `/api/content-assets/collections/${col.id}/assets`, {
        asset_ids: [a.id, b.id, foreign.id, 424242],
      });
      expect(added.json()).toEqual({
        collection_id: col.id,
        asset_ids: [a.id, b.id],
        not_found: [foreign.id, 424242],
        asset_count: 2,
      });
      expect(ids(await list(alice, `collection_id=${col.id}`))).toEqual([b.id, a.id]);
      const inside = await req(
        alice,
        'GET',
        `/api/content-assets/collections/${col.id}/assets?sort_order=asc`,
      );
      expect(ids(inside.json())).toEqual([a.id, b.id]);

      const renamed = await req(alice, 'PUT', `/api/content-assets/collections/${col.id}`, {
        name: 'Trips 2025',
        cover_asset_id: b.id,
        is_public: true,
      });
      expect(renamed.json()).toMatchObject({ name: 'Trips 2025', cover_asset_id: b.id, is_public: true });
      expect(renamed.json().cover_thumbnail_url).toContain(`/${b.id}/thumbnail`);
      const badCover = await req(alice, 'PUT', `/api/content-assets/collections/${col.id}`, {
        cover_asset_id: foreign.id,
      });
      expect(badCover.statusCode).toBe(404);

      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/content-assets/collections/${col.id}/assets`,
        headers: bearer(alice.token),
        payload: { asset_ids: [a.id] },
      });
      expect(removed.json()).toMatchObject({ asset_ids: [a.id], asset_count: 1 });

      const listed = (await req(alice, 'GET', '/api/content-assets/collections')).json();
      expect(listed.collections.map((c: { id: number }) => c.id)).toContain(col.id);
      expect((await req(bob, 'GET', '/api/content-assets/collections')).json().total).toBe(0);
      expect((await req(bob, 'GET', `/api/content-assets/collections/${col.id}`)).statusCode).toBe(404);
      expect((await req(bob, 'GET', `/api/content-assets/collections/${col.id}/assets`)).statusCode).toBe(
        404,
      );
      expect((await req(bob, 'DELETE', `/api/content-assets/collections/${col.id}`)).statusCode).toBe(404);

      const del = await req(alice, 'DELETE', `/api/content-assets/collections/${col.id}`);
      expect(del.json()).toEqual({ collection_id: col.id, deleted: true, detached: 1 });
      expect((await req(alice, 'GET', `/api/content-assets/${b.id}`)).json().collection_id).toBeNull();
    },
  );

  it.runIf(available)('bulk actions apply to own assets only and report the rest as not found', async () => {
    const a = await make(alice, { title: 'Bulk One' });
    const b = await make(alice, { title: 'Crème Brûlée!' });
    const foreign = await make(bob);
    const body = { asset_ids: [a.id, b.id, foreign.id] };

    const fav = await req(alice, 'POST', '/api/content-assets/bulk/favorite', body);
    expect(fav.json()).toEqual({ action: 'favorite', asset_ids: [a.id, b.id], not_found: [foreign.id] });
    expect((await req(bob, 'GET', `/api/content-assets/${foreign.id}`)).json().is_favorite).toBe(false);
    await req(alice, 'POST', '/api/content-assets/bulk/unfavorite', { asset_ids: [a.id] });
    expect((await req(alice, 'GET', `/api/content-assets/${a.id}`)).json().is_favorite).toBe(false);

    await req(alice, 'POST', '/api/content-assets/bulk/tag', { ...body, tags: ['batch', 'x'] });
    await req(alice, 'POST', '/api/content-assets/bulk/tag', {
      asset_ids: [a.id],
      tags: ['x'],
      tag_mode: 'remove',
    });
    expect((await req(alice, 'GET', `/api/content-assets/${a.id}`)).json().tags).toEqual(['batch']);
    expect((await req(alice, 'GET', `/api/content-assets/${b.id}`)).json().tags).toEqual(['batch', 'x']);
    expect((await req(bob, 'GET', `/api/content-assets/${foreign.id}`)).json().tags).toEqual([]);
    expect((await req(alice, 'POST', '/api/content-assets/bulk/tag', body)).statusCode).toBe(400);

    const col = (await req(alice, 'POST', '/api/content-assets/collections', { name: 'Bulk' })).json();
    const bobCol = (await req(bob, 'POST', '/api/content-assets/collections', { name: 'Bob' })).json();
    const moved = await req(alice, 'POST', '/api/content-assets/bulk/move', {
      ...body,
      collection_id: col.id,
    });
    expect(moved.json().asset_ids).toEqual([a.id, b.id]);
    const intoForeign = await req(alice, 'POST', '/api/content-assets/bulk/move', {
      asset_ids: [a.id],
      collection_id: bobCol.id,
    });
    expect(intoForeign.statusCode).toBe(404);

    const zip = await req(alice, 'POST', '/api/content-assets/bulk/download', body);
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['x-not-found']).toBe(String(foreign.id));
    const bytes = zip.rawPayload;
    expect(bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe(true);
    const text = bytes.toString('latin1');
    expect(text).toContain(`bulk-one-${a.id}.png`);
    expect(text).toContain(`creme-brulee-${b.id}.png`);
    const original = await req(alice, 'GET', `/api/content-assets/${a.id}/file`);
    expect(bytes.includes(original.rawPayload)).toBe(true);
    expect((await req(alice, 'GET', `/api/content-assets/${a.id}`)).json().download_count).toBe(1);
    expect(
      (await req(alice, 'POST', '/api/content-assets/bulk/download', { asset_ids: [foreign.id] })).statusCode,
    ).toBe(404);

    const del = await req(alice, 'POST', '/api/content-assets/bulk/delete', body);
    expect(del.json()).toEqual({ action: 'delete', asset_ids: [a.id, b.id], not_found: [foreign.id] });
    expect((await req(bob, 'GET', `/api/content-assets/${foreign.id}`)).json().deleted_at).toBeNull();
    expect((await req(alice, 'POST', '/api/content-assets/bulk/explode', body)).statusCode).toBe(400);
  });

  it.runIf(available)(
    'lineage walks ancestors and descendants, survives cycles, stays in the owner scope',
    async () => {
      const root = await make(alice, { operation: 'generate' });
      const edit = await make(alice, { operation: 'edit', parentIds: [root.id] });
      const up = await make(alice, { operation: 'upscale', parentIds: [edit.id] });
      const social1 = await make(alice, { operation: 'social', parentIds: [up.id] });
      const social2 = await make(alice, { operation: 'social', parentIds: [up.id, root.id] });
      const res = await req(alice, 'GET', `/api/content-assets/${up.id}/lineage`);
      expect(res.statusCode, res.body).toBe(200);
      const lineage = res.json();
      expect(lineage.ancestors.map((a: Asset & { depth: number }) => [a.id, a.depth])).toEqual([
        [edit.id, 1],
        [root.id, 2],
      ]);
      expect(lineage.descendants.map((a: Asset & { depth: number }) => [a.id, a.depth])).toEqual([
        [social1.id, 1],
        [social2.id, 1],
      ]);
      const fromRoot = (await req(alice, 'GET', `/api/content-assets/${root.id}/lineage`)).json();
      expect(fromRoot.descendants.map((a: Asset & { depth: number }) => [a.id, a.depth])).toEqual([
        [edit.id, 1],
        [social2.id, 1],
        [up.id, 2],
        [social1.id, 3],
      ]);

      await t.ctx.db.kysely
        .insertInto('asset_parents')
        .values({ asset_id: root.id, parent_id: social1.id })
        .execute();
      const cyclic = await req(alice, 'GET', `/api/content-assets/${up.id}/lineage`);
      expect(cyclic.statusCode).toBe(200);
      expect(
        cyclic
          .json()
          .ancestors.map((a: Asset) => a.id)
          .sort(),
      ).toEqual([edit.id, root.id, social1.id].sort());

      expect((await req(bob, 'GET', `/api/content-assets/${up.id}/lineage`)).statusCode).toBe(404);
      const bobsChild = await make(bob, { parentIds: [up.id] });
      const bobView = (await req(bob, 'GET', `/api/content-assets/${bobsChild.id}/lineage`)).json();
      expect(bobView.ancestors).toEqual([]);
      const aliceView = (await req(alice, 'GET', `/api/content-assets/${up.id}/lineage`)).json();
      expect(aliceView.descendants.map((a: Asset) => a.id)).not.toContain(bobsChild.id);
    },
  );

  it.runIf(available)('save-to-library answers like the original', async () => {
    const png = await makePng(40, 30, 9);
    const res = await req(alice, 'POST', '/api/image-studio/save-to-library', {
      image_base64: `data:image/png;base64,${png.toString('base64')}`,
      prompt: 'a quiet harbour',
      provider: 'stability',
      model: 'sd3.5-large',
      cost: 0.065,
      operation: 'image-generation',
      output_format: 'png',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      success: true,
      asset_id: expect.any(Number),
      file_url: `/api/content-assets/${body.asset_id}/file`,
      filename: `asset-${body.asset_id}.png`,
      file_size: png.length,
    });
    const asset = (await req(alice, 'GET', `/api/content-assets/${body.asset_id}`)).json<Asset>();
    expect(asset).toMatchObject({
      source_module: 'image_studio',
      asset_type: 'image',
      provider: 'stability',
      model: 'sd3.5-large',
      prompt: 'a quiet harbour',
      cost_credits: 6.5,
      cost: 0.065,
    });
    expect(asset.title).toMatch(/^Generated Image - \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const bad = await req(alice, 'POST', '/api/image-studio/save-to-library', {
      image_base64: '!!!not base64',
    });
    expect(bad.statusCode).toBe(400);
  });

  it.runIf(available)("another user's asset is invisible everywhere", async () => {
    const secret = await make(alice, { title: 'Secretive marmot', tags: ['marmot'], provider: 'gemini' });
    const col = (await req(alice, 'POST', '/api/content-assets/collections', { name: 'Secret' })).json();
    await req(alice, 'POST', `/api/content-assets/collections/${col.id}/assets`, { asset_ids: [secret.id] });

    expect(ids(await list(bob, 'limit=500'))).not.toContain(secret.id);
    expect((await list(bob, 'search=marmot')).total).toBe(0);
    expect((await list(bob, 'tags=marmot')).total).toBe(0);
    expect((await list(bob, `collection_id=${col.id}`)).total).toBe(0);
    expect((await list(bob, 'trashed=true')).assets.map((a) => a.id)).not.toContain(secret.id);
    const stats = (await req(bob, 'GET', '/api/content-assets/statistics')).json();
    expect(stats.by_provider.gemini).toBeUndefined();
    for (const url of [
      `/api/content-assets/${secret.id}`,
      `/api/content-assets/${secret.id}/file`,
      `/api/content-assets/${secret.id}/thumbnail`,
      `/api/content-assets/${secret.id}/thumbnail?size=large`,
      `/api/content-assets/${secret.id}/lineage`,
    ]) {
      expect((await req(bob, 'GET', url)).statusCode, url).toBe(404);
    }
    expect((await req(bob, 'DELETE', `/api/content-assets/${secret.id}`)).statusCode).toBe(404);
    expect((await req(bob, 'DELETE', `/api/content-assets/${secret.id}?permanent=true`)).statusCode).toBe(
      404,
    );
    for (const action of ['favorite', 'tag', 'delete']) {
      const res = await req(bob, 'POST', `/api/content-assets/bulk/${action}`, {
        asset_ids: [secret.id],
        tags: ['pwned'],
      });
      expect(res.json().not_found, action).toEqual([secret.id]);
    }
    const after = (await req(alice, 'GET', `/api/content-assets/${secret.id}`)).json<Asset>();
    expect(after).toMatchObject({
      is_favorite: false,
      tags: ['marmot'],
      deleted_at: null,
      collection_id: col.id,
    });
    expect((await req(alice, 'GET', `/api/content-assets/${secret.id}/thumbnail`)).statusCode).toBe(200);
  });
});
