import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * PostgreSQL: `asset_search_terms`, one row per lexeme of each live document in `asset_search`,
 * with the `ts_rank_cd` that document gets for a query of that lexeme alone, kept by triggers on
 * `asset_search`. A one-word search (a model name, a subject) then reads its page in relevance order
 * from the btree and counts its matches from the index alone, instead of ranking every match: a
 * model name matching 13,274 of 100k documents took 26–32 ms of backend CPU to rank and 2.9 ms from
 * here (bench:assets, --keep, 100 runs). The rank is the one `ts_rank_cd` computes at query time, so
 * the order is the same; a search of several words, phrases or the trash still ranks every match.
 * The price is on writes and disk: 1.84 million rows and 176 MB at 100k assets (`assets` is
 * 213 MB), and the benchmark's seed of 118k assets took 113–126 s instead of 72 s.
 */
export function rankedTerms(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') {
        return;
      }
      const terms = (rows: string) => `INSERT INTO asset_search_terms (asset_id, user_id, rank, lexeme)
        SELECT s.asset_id, s.user_id, ts_rank_cd(s.search_tsv, studio_lexeme_query(t.lexeme)), t.lexeme
        FROM ${rows} AS s CROSS JOIN LATERAL unnest(s.search_tsv) AS t`;
      const statements = [
        // The one-lexeme tsquery of a lexeme as stored: quoted, so no operator or normalisation applies.
        String.raw`CREATE FUNCTION studio_lexeme_query(lexeme text) RETURNS tsquery
           LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
           AS $$ SELECT ('''' || replace(replace(lexeme, '\', '\\'), '''', '\''') || '''')::tsquery $$`,
        `CREATE TABLE asset_search_terms (
           asset_id integer NOT NULL,
           user_id integer NOT NULL,
           rank real NOT NULL,
           lexeme text NOT NULL
         )`,
        terms('asset_search'),
        // Relevance order is rank, then id, both descending: the page is the index's first rows.
        `CREATE INDEX asset_search_terms_rank_idx
           ON asset_search_terms (user_id, lexeme, rank DESC, asset_id DESC)`,
        'CREATE INDEX asset_search_terms_asset_idx ON asset_search_terms (asset_id)',
        // Triggers rather than a foreign key: a per-row key check on every lexeme of a batch insert
        // cost more than computing the ranks.
        `CREATE FUNCTION asset_search_terms_ins() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             ${terms('new_rows')};
             RETURN NULL;
           END $$`,
        `CREATE TRIGGER asset_search_terms_ins AFTER INSERT ON asset_search
           REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_search_terms_ins()`,
        `CREATE FUNCTION asset_search_terms_upd() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             DELETE FROM asset_search_terms WHERE asset_id = old.asset_id;
             ${terms('(SELECT new.asset_id AS asset_id, new.user_id AS user_id, new.search_tsv AS search_tsv)')};
             RETURN NULL;
           END $$`,
        `CREATE TRIGGER asset_search_terms_upd AFTER UPDATE ON asset_search FOR EACH ROW
           WHEN (old.search_tsv IS DISTINCT FROM new.search_tsv OR old.user_id <> new.user_id
             OR old.asset_id <> new.asset_id)
           EXECUTE FUNCTION asset_search_terms_upd()`,
        `CREATE FUNCTION asset_search_terms_del() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             DELETE FROM asset_search_terms WHERE asset_id IN (SELECT asset_id FROM old_rows);
             RETURN NULL;
           END $$`,
        `CREATE TRIGGER asset_search_terms_del AFTER DELETE ON asset_search
           REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_search_terms_del()`,
      ];
      for (const statement of statements) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}
