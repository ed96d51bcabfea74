/**
 * Small text tools for ranking a few dozen templates: tokenising, a light English plural stemmer and
 * a bounded edit distance for typo tolerance. A search index would be overkill at this size.
 */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** "stories" → "story", "boxes" → "box", "pins" → "pin"; leaves "business" and short words alone. */
export function stem(token: string): string {
  if (token.length <= 3) {
    return token;
  }
  if (token.endsWith('ies') && token.length > 4) {
    return `${token.slice(0, -3)}y`;
  }
  if (/(ss|us|is)$/.test(token)) {
    return token;
  }
  if (/(xes|ches|shes|sses)$/.test(token)) {
    return token.slice(0, -2);
  }
  if (token.endsWith('s')) {
    return token.slice(0, -1);
  }
  return token;
}

/** Damerau–Levenshtein distance, giving up early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) {
    rows[0]![j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) {
      return max + 1;
    }
  }
  return rows[a.length]![b.length]!;
}

/** Typos allowed for a query token of this length: none for short words, one, then two. */
export const typoBudget = (length: number) => (length < 4 ? 0 : length < 8 ? 1 : 2);

/**
 * How well one query token matches one document token: 1 exact (after stemming), 0.8 prefix
 * (typing in progress), 0.6 within the typo budget, 0 otherwise.
 */
export function tokenScore(query: string, doc: string): number {
  const q = stem(query);
  const d = stem(doc);
  if (q === d) {
    return 1;
  }
  if (q.length >= 2 && d.startsWith(q)) {
    return 0.8;
  }
  const budget = typoBudget(q.length);
  if (budget > 0 && editDistance(q, d, budget) <= budget) {
    return 0.6;
  }
  return 0;
}
