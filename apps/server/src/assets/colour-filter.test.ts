import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import { setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { deltaE, type Lab } from '../imaging/colour.ts';
import { assetsWithColourNear } from './colour-filter.ts';

/**
 * The colour filter reads only the (lightness, `a`) cells it lists (migration 017): palette colours
 * placed just inside and just outside spheres of every size, around centres anywhere in the Lab
 * range, are found exactly when JavaScript measures them within the tolerance. A cell left out of
 * the list would lose the colours near the sphere's rim that fall in it.
 */

const ASSETS = 24;
const ROUNDS = 60;
const TOLERANCES = [1, 2.5, 4, 7.3, 13, 20, 33.3, 60, 100];

/** Park–Miller: the same colours every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('colour filter cells on %s', (dialect, available) => {
  let t: TestApp;
  let userId: number;
  const ids: number[] = [];

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, env: { ANALYZE_NEW_ASSETS: 'false' } });
    userId = (await setupAdmin(t.app)).userId;
    for (let i = 0; i < ASSETS; i++) {
      const { asset } = await t.ctx.assets.create({
        userId,
        bytes: await makePng(8, 8, 700 + i),
        sourceModule: 'upload',
      });
      ids.push(asset.id);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it.runIf(available)('finds exactly the colours within the tolerance at the rim of the sphere', async () => {
    const db = t.ctx.db.kysely;
    const r = random(17);
    let inside = 0;
    let outside = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const tolerance = TOLERANCES[round % TOLERANCES.length] ?? 20;
      const centre: Lab = { l: r() * 100, a: r() * 200 - 100, b: r() * 200 - 100 };
      const rows = ids.map((id) => {
        // A direction and a distance within 15% of the rim, rounded as palettes are stored; a
        // colour within a thousandth of the rim is skipped (the SQL measures in `real`).
        for (;;) {
          const [x, y, z] = [r() - 0.5, r() - 0.5, r() - 0.5];
          const scale = (tolerance * (0.85 + r() * 0.3)) / Math.hypot(x, y, z);
          const lab = {
            l: Math.min(100, Math.max(0, Math.round(centre.l + x * scale))),
            a: Math.round(centre.a + y * scale),
            b: Math.round(centre.b + z * scale),
          };
          if (Math.abs(deltaE(lab, centre) - tolerance) > 1e-3) return { id, lab };
        }
      });
      await sql`delete from asset_colors where user_id = ${userId}`.execute(db);
      for (const { id, lab } of rows) {
        await sql`insert into asset_colors (asset_id, user_id, l, a, b, share)
          values (${id}, ${userId}, ${lab.l}, ${lab.a}, ${lab.b}, ${1})`.execute(db);
      }
      const expected = rows.filter((row) => deltaE(row.lab, centre) <= tolerance).map((row) => row.id);
      const set = assetsWithColourNear(userId, { lab: centre, tolerance });
      const found = await sql<{ asset_id: number }>`select m.asset_id from (${set}) as m`.execute(db);
      expect(
        found.rows.map((row) => Number(row.asset_id)).sort((x, y) => x - y),
        `${JSON.stringify(centre)} ± ${tolerance}`,
      ).toEqual(expected.sort((x, y) => x - y));
      inside += expected.length;
      outside += rows.length - expected.length;
    }
    // Both sides of the rim were tried, many times.
    expect(inside).toBeGreaterThan(ROUNDS * 5);
    expect(outside).toBeGreaterThan(ROUNDS * 5);
  });
});
