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
import { colourFilter, deltaE, rgbToLab } from '../imaging/colour.ts';

/**
 * The library's search and colour filter answer exactly what the plain queries answer: the order of
 * every match (relevance, then id), each page of it, the total, pages past the end, cursors of a
 * search sorted by date, and the colour filter against the palette rows measured in JavaScript.
 * The PostgreSQL search reads page and total from one pass; these pin that it changed no answer.
 */

const WORDS = ['lighthouse', 'harbour', 'misty', 'golden', 'fox', 'lantern'];

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('library search on %s', (dialect, available) => {
  let t: TestApp;
  let alice: { token: string; userId: number };
  let bob: { token: string; userId: number };

  const list = async (token: string, query: string): Promise<AssetList> => {
    const res = await t.app.inject({ url: `/api/content-assets?${query}`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AssetList>();
  };

  /** Every match in the order the database ranks it, read without LIMIT, OFFSET or a shared pass. */
  const reference = async (userId: number, term: string): Promise<number[]> => {
    const db = t.ctx.db.kysely;
    const rows =
      dialect === 'postgres'
        ? await sql<{ id: number }>`select id from assets where user_id = ${userId} and deleted_at is null
            and search_tsv @@ websearch_to_tsquery('studio_search', ${`"${term}"`})
            order by ts_rank_cd(search_tsv, websearch_to_tsquery('studio_search', ${`"${term}"`})) desc, id desc`.execute(
            db,
          )
        : await sql<{ id: number }>`select a.id from assets_fts f join assets a on a.id = f.rowid
            where assets_fts match ${`"${term}"`} and a.user_id = ${userId} and a.deleted_at is null
            order by f.rank, a.id`.execute(db);
    return rows.rows.map((r) => Number(r.id));
  };

  beforeAll(async () => {
    if (!available) return;
    // Palettes are written below, not by the background analysis: known rows, and no model runs.
    t = await startTestApp({ dialect, env: { ANALYZE_NEW_ASSETS: 'false' } });
    const admin = await setupAdmin(t.app);
    alice = { token: admin.token, userId: admin.userId };
    bob = await addUser(t.app, admin.token, 'bob@example.com');
    // Words repeated in different fields and amounts, so ranks differ and also tie.
    for (let i = 0; i < 36; i++) {
      const w = (k: number) => WORDS[(i * k) % WORDS.length];
      const { asset } = await t.ctx.assets.create({
        userId: alice.userId,
        bytes: await makePng(16, 12, 500 + i),
        sourceModule: 'image_studio',
        title: i % 4 === 0 ? `${w(1)} study ${i}` : `study ${i}`,
        prompt: `${w(5)} ${w(7)} at dusk, ${i % 3 === 0 ? `${w(5)} again` : 'watercolor'}`,
        tags: i % 5 === 0 ? [w(1) ?? 'none'] : [],
        provider: i % 2 === 0 ? 'wavespeed' : 'stability',
        model: i % 2 === 0 ? 'qwen-image' : 'sd3.5-large',
      });
      for (let c = 0; c < 3; c++) {
        const lab = rgbToLab((i * 97 + c * 41) % 256, (i * 53 + c * 149) % 256, (i * 29 + c * 83) % 256);
        await sql`insert into asset_colors (asset_id, user_id, l, a, b, share)
          values (${asset.id}, ${alice.userId}, ${Math.round(lab.l)}, ${Math.round(lab.a)}, ${Math.round(lab.b)}, ${1 / 3})`.execute(
          t.ctx.db.kysely,
        );
      }
      if (i % 9 === 4) {
        await t.app.inject({
          method: 'DELETE',
          url: `/api/content-assets/${asset.id}`,
          headers: bearer(alice.token),
        });
      }
    }
    await t.ctx.assets.create({
      userId: bob.userId,
      bytes: await makePng(16, 12, 999),
      sourceModule: 'image_studio',
      title: 'lighthouse of Bob',
      model: 'qwen-image',
    });
  }, 180_000);
  afterAll(async () => t?.close());

  it.runIf(available)(
    'relevance pages, totals and pages past the end match the full ranked order',
    async () => {
      for (const term of ['lighthouse', 'misty', 'qwen', 'fox', 'dusk']) {
        const expected = await reference(alice.userId, term);
        expect(expected.length, term).toBeGreaterThan(3);
        const seen: number[] = [];
        for (let offset = 0; offset < expected.length; offset += 5) {
          const page = await list(alice.token, `search=${term}&limit=5&offset=${offset}`);
          expect(page.total, `${term} @${offset}`).toBe(expected.length);
          seen.push(...page.assets.map((a) => a.id));
        }
        expect(seen, term).toEqual(expected);
        const past = await list(alice.token, `search=${term}&limit=5&offset=${expected.length + 3}`);
        expect(past.assets, term).toEqual([]);
        expect(past.total, term).toBe(expected.length);
      }
      const none = await list(alice.token, 'search=zeppelin');
      expect([none.total, none.assets.length]).toEqual([0, 0]);
    },
  );

  it.runIf(available)('a search sorted by date pages by cursor over exactly the matches', async () => {
    const expected = new Set(await reference(alice.userId, 'harbour'));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: AssetList = await list(
        alice.token,
        `search=harbour&sort_by=created_at&sort_order=asc&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.total).toBe(expected.size);
      seen.push(...page.assets.map((a) => a.id));
      cursor = page.next_cursor;
    } while (cursor);
    // Ids grow with creation time here, so ascending dates are ascending ids.
    expect(seen).toEqual([...expected].sort((a, b) => a - b));
    const filtered = await list(alice.token, 'search=harbour&provider=wavespeed&limit=100');
    const wavespeed = (await list(alice.token, 'provider=wavespeed&limit=500')).assets.map((a) => a.id);
    expect(filtered.assets.map((a) => a.id).sort((a, b) => a - b)).toEqual(
      [...expected].filter((id) => wavespeed.includes(id)).sort((a, b) => a - b),
    );
    expect(filtered.total).toBe(filtered.assets.length);
    const bobs = await list(bob.token, 'search=lighthouse');
    expect(bobs.total).toBe(1);
  });

  it.runIf(available)(
    'the colour filter finds exactly the images with a palette colour within ΔE',
    async () => {
      const palette = await sql<{ asset_id: number; l: number; a: number; b: number }>`
      select asset_id, l, a, b from asset_colors where user_id = ${alice.userId}`.execute(t.ctx.db.kysely);
      const rows = palette.rows.map((r) => ({
        id: Number(r.asset_id),
        lab: { l: Number(r.l), a: Number(r.a), b: Number(r.b) },
      }));
      const live = new Set((await list(alice.token, 'limit=500')).assets.map((a) => a.id));
      let nonEmpty = 0;
      for (const [hex, tolerance] of [
        ['#808080', 40],
        ['#2255ff', 30],
        ['#ff0000', 60],
        ['#000000', 25],
      ] as const) {
        const { lab } = colourFilter(hex, tolerance);
        const expected = [...new Set(rows.filter((r) => deltaE(r.lab, lab) <= tolerance).map((r) => r.id))]
          .filter((id) => live.has(id))
          .sort((a, b) => b - a);
        const page = await list(
          alice.token,
          `color=${encodeURIComponent(hex)}&color_tolerance=${tolerance}&limit=500`,
        );
        expect(
          page.assets.map((a) => a.id),
          hex,
        ).toEqual(expected);
        expect(page.total, hex).toBe(expected.length);
        if (expected.length > 0) nonEmpty++;
      }
      expect(nonEmpty).toBeGreaterThan(1);
    },
  );
});
