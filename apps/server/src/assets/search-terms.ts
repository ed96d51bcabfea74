/**
 * Turns raw user input into search terms both databases treat literally. Raw input must never reach
 * FTS5's MATCH grammar (`"`, `-`, `*`, `AND`, `NEAR(` … throw or change meaning) nor PostgreSQL's
 * websearch operators (`-`, `or`, quotes): every term is quoted, so all terms must match (AND).
 */

/** PostgreSQL's english configuration drops these; SQLite must too, or "a red car" would require "a". */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for if in into is it no not of on or such that the their then there ' +
    'these they this to was will with i me my we our you your he him his she her its them what which who ' +
    'whom am were been being have has had having do does did doing so than too very s t can just'
  ).split(' '),
);

const MAX_TERMS = 16;

export function searchTerms(input: string | undefined): string[] {
  if (!input) {
    return [];
  }
  const terms: string[] = [];
  for (const raw of input.normalize('NFKC').split(/\s+/u)) {
    // Quotes are the only character that could close our quoting; nothing else needs escaping.
    const term = raw.replace(/"/g, '').trim();
    if (!/[\p{L}\p{N}]/u.test(term) || STOP_WORDS.has(term.toLowerCase())) {
      continue;
    }
    if (!terms.includes(term)) {
      terms.push(term.slice(0, 100));
    }
    if (terms.length === MAX_TERMS) {
      break;
    }
  }
  return terms;
}

/** FTS5 MATCH expression: each term a quoted string (a phrase of its tokens), implicitly ANDed. */
export const ftsMatch = (terms: string[]) => terms.map((t) => `"${t}"`).join(' ');

/** websearch_to_tsquery input: quoted terms are phrases there too, so operators stay literal. */
export const websearchQuery = (terms: string[]) => terms.map((t) => `"${t}"`).join(' ');
