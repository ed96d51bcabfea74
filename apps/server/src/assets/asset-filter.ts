import { type RawBuilder, sql } from 'kysely';
import type { ColourFilter } from '../imaging/colour.ts';
import { assetsWithColourNear } from './colour-filter.ts';

/** What a library list asks for; every query built from it is scoped to `userId`. */
export interface AssetFilter {
  userId: number;
  trashed: boolean;
  assetType?: string;
  sourceModule?: string;
  /** undefined: no search; []: a search with no usable term, which matches nothing. */
  searchTerms?: string[];
  tags?: string[];
  favoritesOnly?: boolean;
  collectionId?: number;
  createdFrom?: string;
  createdTo?: string;
  provider?: string;
  model?: string;
  operation?: string;
  platform?: string;
  minWidth?: number;
  maxWidth?: number;
  minHeight?: number;
  maxHeight?: number;
  parentId?: number;
  /** Images with a dominant colour near this one (understanding/). */
  colour?: ColourFilter;
}

/**
 * The filter's conditions that are sets of the owner's asset ids from a side table: tags and
 * platform from the trigger-kept `asset_tags` (not each row's JSON), colour from `asset_colors`.
 */
export function idSets(f: AssetFilter): RawBuilder<number>[] {
  const sets: RawBuilder<number>[] = [];
  if (f.tags && f.tags.length > 0) sets.push(taggedIds(f.userId, f.tags));
  // Social exports name their platform in params (indexed as `platform:<name>`) and as a tag.
  if (f.platform) sets.push(taggedIds(f.userId, [f.platform, `platform:${f.platform}`]));
  if (f.colour) sets.push(assetsWithColourNear(f.userId, f.colour));
  return sets;
}

const taggedIds = (userId: number, tags: string[]) =>
  sql<number>`select asset_tags.asset_id from asset_tags
    where asset_tags.user_id = ${userId} and asset_tags.tag in (${sql.join(tags)})`;

/** A live-library filter whose only condition besides the owner is one id set: that set. */
export function soleIdSet(f: AssetFilter): RawBuilder<number> | undefined {
  const { tags: _t, platform: _p, colour: _c, ...rest } = f;
  const sets = idSets(f);
  return sets.length === 1 && !f.trashed && isWholeLibrary(rest) ? sets[0] : undefined;
}

/** No condition but the owner (and live rows): the trigger-kept counter answers `total`. */
export function isWholeLibrary(f: AssetFilter): boolean {
  return Object.entries(f).every(
    ([key, value]) =>
      key === 'userId' ||
      value === undefined ||
      value === false ||
      (key === 'tags' && Array.isArray(value) && value.length === 0),
  );
}
