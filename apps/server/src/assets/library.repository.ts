import {
  type Expression,
  type ExpressionBuilder,
  expressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import type { DialectName } from '../db/dialect.ts';
import type { AssetRow, Database } from '../db/schema.ts';
import { type AssetFilter, idSets, isWholeLibrary, soleIdSet } from './asset-filter.ts';
import type { Cursor, KeysetSort } from './cursor.ts';
import { ASSET_COLUMNS, type LibraryDatabase, libraryDb } from './library.tables.ts';
import { ftsMatch, websearchQuery } from './search-terms.ts';

export type { AssetFilter } from './asset-filter.ts';

export interface PageRequest {
  sort: KeysetSort | 'relevance';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  cursor?: Cursor;
}

export interface StatsRow {
  asset_type: string;
  source_module: string;
  provider: string | null;
  n: number;
  credits: number;
  favorites: number;
}

export interface LineageRow {
  id: number;
  depth: number;
}

type Eb = ExpressionBuilder<LibraryDatabase, 'assets'>;

const SORT_COLUMN = {
  created_at: 'assets.created_at',
  updated_at: 'assets.updated_at',
  cost: 'assets.cost_credits',
  file_size: 'assets.file_size',
  title: 'assets.title',
} as const;

/** tsquery text doubles each quote and backslash of a lexeme. */
const UNDOUBLE = String.raw`(['\\])\1`;

/** Lineage deeper than this is cut off (and a corrupt cycle cannot run away). */
const MAX_LINEAGE_DEPTH = 64;

/**
 * Queries of the asset library. Everything takes the owner's id and scopes to it; search is FTS5 on
 * SQLite and a tsvector on PostgreSQL behind the same methods.
 */
export class LibraryRepository {
  private readonly db: Kysely<LibraryDatabase>;

  constructor(
    db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {
    this.db = libraryDb(db);
  }

  async list(filter: AssetFilter, page: PageRequest): Promise<{ rows: AssetRow[]; total: number }> {
    if (filter.searchTerms?.length === 0) {
      return { rows: [], total: 0 };
    }
    const terms = filter.searchTerms;
    if (terms !== undefined && this.dialect === 'postgres') {
      return this.searchPostgres(filter, terms, page);
    }
    const relevance = page.sort === 'relevance' && terms !== undefined;
    let rows = this.db
      .selectFrom('assets')
      .select(ASSET_COLUMNS)
      .where((eb) => eb.and(this.conditions(eb, filter, !relevance)));
    if (relevance) {
      // Joining the FTS table exposes its bm25 `rank`; the MATCH on the join replaces the IN filter.
      rows = rows
        .innerJoin('assets_fts', 'assets_fts.rowid', 'assets.id')
        .where(sql<SqlBool>`assets_fts MATCH ${ftsMatch(terms)}`)
        // Rank alone: FTS5 then hands rows over in rank order instead of a sort of every match.
        .orderBy('assets_fts.rank');
    } else {
      const key = page.sort === 'relevance' ? 'created_at' : page.sort;
      const expr = sortExpression(key);
      if (page.cursor) {
        rows = rows.where(afterCursor(expr, sql.ref('assets.id'), page.cursor, page.order));
      }
      rows = rows.orderBy(expr, page.order).orderBy('assets.id', page.order);
    }
    const [found, total] = await Promise.all([
      rows
        .limit(page.limit)
        .offset(page.cursor ? 0 : page.offset)
        .execute(),
      this.count(filter),
    ]);
    return { rows: found, total };
  }

  /**
   * PostgreSQL search in one pass over the matches: `hits` holds each match's id and sort key (its
   * ts_rank_cd for relevance), and both the page and the total read it. An exact order has to rank
   * every match; a separate count query read every match from the heap a second time, which was
   * most of the rest (bench:assets, a model name matching 13% of 100k assets). A one-lexeme search
   * of the whole live library reads its ranks from `asset_search_terms` (migration 016) instead:
   * there `hits` is not materialized, so the page is the index's first rows and the total an
   * index-only count.
   */
  private async searchPostgres(
    filter: AssetFilter,
    terms: string[],
    page: PageRequest,
  ): Promise<{ rows: AssetRow[]; total: number }> {
    const relevance = page.sort === 'relevance';
    const order = relevance ? 'desc' : page.order;
    const lexeme =
      relevance && isWholeLibrary({ ...filter, searchTerms: undefined })
        ? await this.soleLexeme(terms)
        : undefined;
    const hits =
      lexeme === undefined
        ? this.searchHits(filter, terms, page.sort === 'relevance' ? undefined : sortExpression(page.sort))
        : this.db
            .selectFrom('asset_search_terms as t')
            .select(['t.asset_id as id', 't.rank as sort_key'])
            .where('t.user_id', '=', filter.userId)
            .where('t.lexeme', '=', lexeme);
    const found = await this.db
      .with(
        (cte) => (lexeme === undefined ? cte('hits').materialized() : cte('hits').notMaterialized()),
        () => hits,
      )
      .with('page', (db) => {
        let q = db.selectFrom('hits').select(['hits.id', 'hits.sort_key']);
        if (page.cursor) {
          q = q.where(afterCursor(sql.ref('hits.sort_key'), sql.ref('hits.id'), page.cursor, page.order));
        }
        return q
          .orderBy('hits.sort_key', order)
          .orderBy('hits.id', order)
          .limit(page.limit)
          .offset(page.cursor ? 0 : page.offset);
      })
      .selectFrom('page')
      .innerJoin('assets', 'assets.id', 'page.id')
      .select(ASSET_COLUMNS)
      .select((eb) => eb.selectFrom('hits').select(eb.fn.countAll<number>().as('n')).as('total'))
      .orderBy('page.sort_key', order)
      .orderBy('page.id', order)
      .execute();
    const first = found[0];
    if (!first) {
      // Past the last match: the page is empty and carries no total, so count them.
      if (page.cursor === undefined && page.offset === 0) {
        return { rows: [], total: 0 };
      }
      const counted = await this.db
        .with('hits', () => hits)
        .selectFrom('hits')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return { rows: [], total: Number(counted.n) };
    }
    return { rows: found.map(({ total: _, ...row }) => row), total: Number(first.total) };
  }

  /**
   * The search's only lexeme, when its tsquery is one plain lexeme (no phrase, prefix or weight), as
   * `asset_search_terms` stores it: read back from the tsquery's text and kept only if it makes the
   * same tsquery again (tsquery equality ignores prefix and weight marks; the text test does not).
   */
  private async soleLexeme(terms: string[]): Promise<string | undefined> {
    const { rows } = await sql<{ lexeme: string | null }>`select case
        when numnode(q) = 1 and q::text ~ '^''.*''$' and studio_lexeme_query(l) = q then l end as lexeme
      from websearch_to_tsquery('studio_search', ${websearchQuery(terms)}) as q,
        regexp_replace(substr(q::text, 2, length(q::text) - 2), ${UNDOUBLE}, '\\1', 'g') as l`.execute(
      this.db,
    );
    return rows[0]?.lexeme ?? undefined;
  }

  /**
   * Each match's id and sort key (`sortKey`, or its rank). Live assets are matched in the narrow
   * `asset_search` (migration 014), whose documents share a page thirty at a time instead of ten
   * in `assets`; `assets` is joined only when another filter or the sort needs its columns.
   */
  private searchHits(
    filter: AssetFilter,
    terms: string[],
    sortKey: Expression<unknown> | undefined,
  ): Expression<{ id: number; sort_key: unknown }> {
    const query = sql`websearch_to_tsquery('studio_search', ${websearchQuery(terms)})`;
    if (filter.trashed) {
      return this.db
        .selectFrom('assets')
        .select(['assets.id', sql`${sortKey ?? sql`ts_rank_cd(assets.search_tsv, ${query})`}`.as('sort_key')])
        .where((eb) => eb.and(this.conditions(eb, filter, true)));
    }
    const rank = sql`ts_rank_cd(asset_search.search_tsv, ${query})`;
    if (sortKey === undefined && isWholeLibrary({ ...filter, searchTerms: undefined })) {
      return this.db
        .selectFrom('asset_search')
        .select(['asset_search.asset_id as id', rank.as('sort_key')])
        .where('asset_search.user_id', '=', filter.userId)
        .where(sql<SqlBool>`asset_search.search_tsv @@ ${query}`);
    }
    // Each match's row by its key, in a lateral subquery that LIMIT keeps from being flattened into
    // a join: left a join, a planner without statistics drove it from the owner's whole library.
    const eb = expressionBuilder<LibraryDatabase, 'assets'>();
    const row = this.db
      .selectFrom('assets')
      .select(sql`${sortKey ?? sql`null`}`.as('sort_key'))
      .where(sql<SqlBool>`assets.id = asset_search.asset_id`)
      .where(eb.and(this.conditions(eb, filter, false)))
      .limit(1);
    // Parenthesised here: a raw CTE body is not, as a query builder's is.
    return sql<{ id: number; sort_key: unknown }>`(select asset_search.asset_id as id,
      ${sortKey ? sql.ref('a.sort_key') : rank} as sort_key
      from asset_search cross join lateral ${row} as a
      where asset_search.user_id = ${filter.userId} and asset_search.search_tsv @@ ${query})`;
  }

  private async count(filter: AssetFilter): Promise<number> {
    if (isWholeLibrary(filter)) {
      const row = await this.db
        .selectFrom('asset_counts')
        .select('live')
        .where('user_id', '=', filter.userId)
        .executeTakeFirst();
      return Number(row?.live ?? 0);
    }
    const ids = soleIdSet(filter);
    if (ids) {
      // The set's own index and the owner's trash only: joined to `assets`, the count read the index
      // entry of every live asset of the owner to meet a set of a seventh of them (bench:assets, a tag
      // at 100k assets: 65 → 17 ms in EXPLAIN ANALYZE). Exact because the side tables hold only the
      // owner's existing assets (user_id copied from the asset, rows deleted with it).
      const row = await sql<{ n: number }>`select count(distinct m.asset_id) as n from (${ids}) as m
        where m.asset_id not in (select t.id from assets t
          where t.user_id = ${filter.userId} and t.deleted_at is not null)`.execute(this.db);
      return Number(row.rows[0]?.n ?? 0);
    }
    const row = await this.db
      .selectFrom('assets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.and(this.conditions(eb, filter, true)))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private conditions(eb: Eb, f: AssetFilter, withSearch: boolean): Expression<SqlBool>[] {
    const c: Expression<SqlBool>[] = [eb('assets.user_id', '=', f.userId)];
    c.push(f.trashed ? eb('assets.deleted_at', 'is not', null) : eb('assets.deleted_at', 'is', null));
    if (f.assetType) c.push(eb('assets.asset_type', '=', f.assetType));
    if (f.sourceModule) c.push(eb('assets.source_module', '=', f.sourceModule));
    if (f.provider) c.push(eb('assets.provider', '=', f.provider));
    if (f.model) c.push(eb('assets.model', '=', f.model));
    if (f.operation) c.push(eb('assets.operation', '=', f.operation));
    if (f.favoritesOnly) c.push(eb('assets.is_favorite', '=', 1));
    if (f.collectionId !== undefined) c.push(eb('assets.collection_id', '=', f.collectionId));
    if (f.createdFrom) c.push(eb('assets.created_at', '>=', f.createdFrom));
    if (f.createdTo) c.push(eb('assets.created_at', '<=', f.createdTo));
    if (f.minWidth !== undefined) c.push(eb('assets.width', '>=', f.minWidth));
    if (f.maxWidth !== undefined) c.push(eb('assets.width', '<=', f.maxWidth));
    if (f.minHeight !== undefined) c.push(eb('assets.height', '>=', f.minHeight));
    if (f.maxHeight !== undefined) c.push(eb('assets.height', '<=', f.maxHeight));
    if (f.parentId !== undefined) {
      const parentId = f.parentId;
      c.push(
        eb.exists(
          eb
            .selectFrom('asset_parents')
            .select('asset_parents.asset_id')
            .whereRef('asset_parents.asset_id', '=', 'assets.id')
            .where('asset_parents.parent_id', '=', parentId),
        ),
      );
    }
    for (const ids of idSets(f)) c.push(sql<SqlBool>`assets.id in (${ids})`);
    if (withSearch && f.searchTerms) c.push(this.matches(f.searchTerms));
    return c;
  }

  private matches(terms: string[]): Expression<SqlBool> {
    return this.dialect === 'sqlite'
      ? sql<SqlBool>`assets.id in (select rowid from assets_fts where assets_fts match ${ftsMatch(terms)})`
      : sql<SqlBool>`assets.search_tsv @@ websearch_to_tsquery('studio_search', ${websearchQuery(terms)})`;
  }

  /** One pass over the covering stats index; the service folds the groups into the totals. */
  async statistics(userId: number): Promise<{ groups: StatsRow[]; trashed: number }> {
    const [groups, trashed] = await Promise.all([
      this.db
        .selectFrom('assets')
        .select(['asset_type', 'source_module', 'provider'])
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>('cost_credits').as('credits'),
          eb.fn.sum<number>('is_favorite').as('favorites'),
        ])
        .where('user_id', '=', userId)
        .where('deleted_at', 'is', null)
        .groupBy(['asset_type', 'source_module', 'provider'])
        .execute(),
      this.db
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('deleted_at', 'is not', null)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      groups: groups.map((g) => ({
        ...g,
        n: Number(g.n),
        credits: Number(g.credits ?? 0),
        favorites: Number(g.favorites ?? 0),
      })),
      trashed: Number(trashed.n),
    };
  }

  /** The owner's rows among `ids` (trashed ones only when asked). */
  findOwnedMany(userId: number, ids: number[], includeTrashed = false): Promise<AssetRow[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    let q = this.db
      .selectFrom('assets')
      .select(ASSET_COLUMNS)
      .where('user_id', '=', userId)
      .where('id', 'in', ids);
    if (!includeTrashed) {
      q = q.where('deleted_at', 'is', null);
    }
    return q.orderBy('id').execute();
  }

  /**
   * Ancestors (`up`) or descendants of an asset with their distance, walking only the owner's rows.
   * UNION (not UNION ALL) drops repeated (id, depth) pairs and the depth cap ends any cycle.
   */
  async lineage(userId: number, id: number, direction: 'up' | 'down'): Promise<LineageRow[]> {
    const [from, to] = direction === 'up' ? ['asset_id', 'parent_id'] : ['parent_id', 'asset_id'];
    const step = sql.raw(`p.${to}`);
    const anchor = sql.raw(`p.${from}`);
    const result = await sql<{ id: number; depth: number }>`
      with recursive walk(id, depth) as (
        select ${step}, 1 from asset_parents p
          join assets a on a.id = ${step} and a.user_id = ${userId}
          where ${anchor} = ${id}
        union
        select ${step}, w.depth + 1 from asset_parents p
          join walk w on ${anchor} = w.id
          join assets a on a.id = ${step} and a.user_id = ${userId}
          where w.depth < ${MAX_LINEAGE_DEPTH}
      )
      select id, min(depth) as depth from walk where id <> ${id} group by id order by min(depth), id`.execute(
      this.db,
    );
    return result.rows.map((r) => ({ id: Number(r.id), depth: Number(r.depth) }));
  }
}

/** Rows after the cursor in the page's order; `id` breaks ties of the sort key. */
function afterCursor(
  key: Expression<unknown>,
  id: Expression<unknown>,
  { value, id: lastId }: Cursor,
  order: 'asc' | 'desc',
): RawBuilder<SqlBool> {
  return order === 'desc'
    ? sql<SqlBool>`(${key}, ${id}) < (${value}, ${lastId})`
    : sql<SqlBool>`(${key}, ${id}) > (${value}, ${lastId})`;
}

function sortExpression(key: KeysetSort): Expression<unknown> {
  return key === 'title' ? sql`coalesce(assets.title, '')` : sql.ref(SORT_COLUMN[key]);
}
