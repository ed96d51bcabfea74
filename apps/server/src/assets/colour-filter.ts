import { type RawBuilder, sql } from 'kysely';
import type { ColourFilter } from '../imaging/colour.ts';

/** The side of a `la_cell` (migration 017) in lightness and `a`; its SQL is `(l / 4) * 128 + (a + 128) / 4`. */
const CELL = 4;
const cellOf = (l: number, a: number) => Math.trunc(l / CELL) * 128 + Math.trunc((a + 128) / CELL);

/**
 * The library list's colour filter: the owner's asset ids (trashed ones too) with a palette colour
 * (`asset_colors`, kept by understanding/) within the tolerance: the (lightness, `a`) cells the
 * sphere reaches and a range of `b` on the covering `(user_id, la_cell, b, l, a, asset_id)` index
 * first, then the true distance. Written as a set of the owner's asset ids from that index rather
 * than a lookup per listed asset (a rare colour would otherwise probe every asset before the page
 * fills). A cell is listed when an integer (l, a) of it lies in the sphere's disc, so every colour in
 * the sphere is in a listed cell; the slack is for the distance SQL computes in `real`.
 */
export function assetsWithColourNear(userId: number, { lab, tolerance }: ColourFilter): RawBuilder<number> {
  const t = Math.ceil(tolerance);
  // PostgreSQL would read an untyped parameter beside an integer column as an integer.
  const real = (x: number) => sql`cast(${x} as real)`;
  const [l, a, b] = [real(lab.l), real(lab.a), real(lab.b)];
  const cells = new Set<number>();
  const reach = (tolerance + 0.01) ** 2;
  for (let v = Math.max(0, Math.floor(lab.l - t)); v <= Math.min(100, Math.ceil(lab.l + t)); v++) {
    const left = reach - (v - lab.l) ** 2;
    if (left < 0) continue;
    const across = Math.sqrt(left);
    for (let w = Math.floor(lab.a - across); w <= Math.ceil(lab.a + across); w++) cells.add(cellOf(v, w));
  }
  return sql<number>`select c.asset_id from asset_colors c where c.user_id = ${userId}
    and c.la_cell in (${sql.join([...cells])})
    and c.b between ${Math.floor(lab.b - t)} and ${Math.ceil(lab.b + t)}
    and (c.l - ${l}) * (c.l - ${l}) + (c.a - ${a}) * (c.a - ${a}) + (c.b - ${b}) * (c.b - ${b})
      <= ${real(tolerance * tolerance)}`;
}
