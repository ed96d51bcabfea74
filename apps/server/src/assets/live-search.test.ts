import type { AssetList } from '@studio/contracts';
import { sql } from 'kysely';
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

/**
 * What a live search and a filter's total read besides `assets` stays true through an asset's life:
 * PostgreSQL's `asset_search` copy of each live document (migration 014) through edits, analysis,
 * trash, restore and purge; and totals of a tag, platform or colour filter counted from their own
 * tables minus the trash.
 */
describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('live search and id-set totals on %s', (dialect, available) => {
  let t: TestApp;
  let alice: { token: string; userId: number };
  let bob: { token: string; userId: number };
  let seed = 3000;

  const list = async (token: string, query: string): Promise<AssetList> => {
    const res = await t.app.inject({ url: `/api/content-assets?${query}`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AssetList>();
  };
  const found = async (token: string, query: string) => {
    const page = await list(token, `${query}&limit=100`);
    expect(page.total, query).toBe(page.assets.length);
    return page.assets.map((a) => a.id).sort((a, b) => a - b);
  };
  const call = (method: 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(alice.token), payload });
  const make = async (userId: number, title: string, tags: string[] = []) =>
    (
      await t.ctx.assets.create({
        userId,
        bytes: await makePng(14, 10, seed++),
        sourceModule: 'image_studio',
        title,
        tags,
        model: 'qwen-image',
      })
    ).asset.id;
  /** PostgreSQL: the narrow copy holds exactly the live assets' documents, nothing stale. */
  const copyMatchesAssets = async () => {
    if (dialect !== 'postgres') return;
    const stale = await sql<{ n: string }>`select count(*) as n from assets a
      full join asset_search s on s.asset_id = a.id
      where (a.deleted_at is null) is distinct from (s.asset_id is not null)
        or (s.asset_id is not null and (s.user_id <> a.user_id or s.search_tsv <> a.search_tsv))`.execute(
      t.ctx.db.kysely,
    );
    expect(Number(stale.rows[0]?.n)).toBe(0);
    // And its lexemes (migration 016) are exactly each live document's, each with its one-word rank.
    const terms = await sql<{ n: string; stale: string }>`select count(t.asset_id) as n,
        count(*) filter (where t.asset_id is null or d.asset_id is null
          or t.user_id <> d.user_id or t.rank <> d.rank) as stale
      from asset_search_terms t
      full join (select s.asset_id, s.user_id, u.lexeme,
          ts_rank_cd(s.search_tsv, studio_lexeme_query(u.lexeme)) as rank
        from asset_search s cross join lateral unnest(s.search_tsv) as u) as d
        on d.asset_id = t.asset_id and d.lexeme = t.lexeme`.execute(t.ctx.db.kysely);
    expect(Number(terms.rows[0]?.stale)).toBe(0);
    expect(Number(terms.rows[0]?.n)).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, env: { ANALYZE_NEW_ASSETS: 'false' } });
    const admin = await setupAdmin(t.app);
    alice = { token: admin.token, userId: admin.userId };
    bob = await addUser(t.app, admin.token, 'bob@example.com');
  }, 120_000);
  afterAll(async () => t?.close());

  it.runIf(available)('a search sees edits, analysis, trash, restore and purge at once', async () => {
    const lighthouse = await make(alice.userId, 'lighthouse at dawn');
    const harbour = await make(alice.userId, 'harbour at dusk');
    const bobs = await make(bob.userId, 'lighthouse of Bob');
    expect(await found(alice.token, 'search=lighthouse')).toEqual([lighthouse]);
    expect(await found(alice.token, 'search=qwen')).toEqual([lighthouse, harbour]);

    await call('PUT', `/api/content-assets/${lighthouse}`, { title: 'beacon at dawn' });
    expect(await found(alice.token, 'search=lighthouse')).toEqual([]);
    expect(await found(alice.token, 'search=beacon')).toEqual([lighthouse]);

    // What the background analysis writes: automatic tags and recognised text.
    await sql`update assets set auto_text = ${'umbrella\nSUMMER SALE'} where id = ${harbour}`.execute(
      t.ctx.db.kysely,
    );
    expect(await found(alice.token, 'search=summer%20sale')).toEqual([harbour]);
    await copyMatchesAssets();

    await call('DELETE', `/api/content-assets/${harbour}`);
    expect(await found(alice.token, 'search=umbrella')).toEqual([]);
    expect(await found(alice.token, 'search=qwen')).toEqual([lighthouse]);
    expect(await found(alice.token, 'search=umbrella&trashed=true')).toEqual([harbour]);
    await copyMatchesAssets();

    await call('POST', `/api/content-assets/${harbour}/restore`);
    expect(await found(alice.token, 'search=umbrella')).toEqual([harbour]);
    expect(await found(alice.token, 'search=qwen&sort_by=created_at')).toEqual([lighthouse, harbour]);
    await copyMatchesAssets();

    await call('DELETE', `/api/content-assets/${harbour}?permanent=true`);
    expect(await found(alice.token, 'search=umbrella')).toEqual([]);
    expect(await found(bob.token, 'search=lighthouse')).toEqual([bobs]);
    await copyMatchesAssets();
  });

  it.runIf(available)('tag, platform and colour totals leave out the trash and others', async () => {
    const kept = await make(alice.userId, 'kept', ['hero', 'instagram']);
    const trashed = await make(alice.userId, 'trashed', ['hero', 'instagram']);
    const other = await make(alice.userId, 'other', ['draft']);
    await make(bob.userId, 'bobs', ['hero', 'instagram']);
    for (const id of [kept, trashed, other]) {
      await sql`insert into asset_colors (asset_id, user_id, l, a, b, share)
        values (${id}, ${alice.userId}, ${id === other ? 90 : 40}, 10, -20, 1)`.execute(t.ctx.db.kysely);
    }
    await call('DELETE', `/api/content-assets/${trashed}`);

    expect(await found(alice.token, 'tags=hero')).toEqual([kept]);
    // Both names of a platform (tag and `platform:` entry) count the asset once.
    await call('PUT', `/api/content-assets/${kept}`, { asset_metadata: { platform: 'instagram' } });
    expect(await found(alice.token, 'platform=instagram')).toEqual([kept]);
    const page = await list(alice.token, 'color=%235a5f8c&color_tolerance=15&limit=1');
    expect([page.assets.length, page.total]).toEqual([1, 1]);
    expect(await found(alice.token, 'tags=hero&favorites_only=true')).toEqual([]);
    expect(await found(alice.token, 'tags=hero&trashed=true')).toEqual([trashed]);
  });
});
