/**
 * Resized, recompressed and lightly edited copies of one picture lie within this many bits of 64 of
 * each other's difference hash; unrelated pictures lie around 32 apart.
 */
export const SIMILAR_BITS = 8;

export interface Hashed {
  id: number;
  phash: string;
}

export const popcount = (v: number) => {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

const halves = (hex: string): [number, number] => [
  Number.parseInt(hex.slice(0, 8), 16),
  Number.parseInt(hex.slice(8, 16), 16),
];

export const hammingDistance = (a: string, b: string) => {
  const [ah, al] = halves(a);
  const [bh, bl] = halves(b);
  return popcount((ah ^ bh) >>> 0) + popcount((al ^ bl) >>> 0);
};

/**
 * Groups of hashes within `maxBits` of one another (transitively), each group's ids ascending.
 * Two hashes that differ in at most `maxBits` bits agree exactly on at least one of `maxBits + 1`
 * bands (pigeonhole), so only hashes sharing a band are compared, not every pair.
 */
export function similarGroups(
  items: Hashed[],
  maxBits = SIMILAR_BITS,
): Array<{ ids: number[]; maxDistance: number }> {
  const bands = maxBits + 1;
  const hi = new Uint32Array(items.length);
  const lo = new Uint32Array(items.length);
  items.forEach((item, i) => {
    [hi[i], lo[i]] = halves(item.phash);
  });
  const distance = (i: number, j: number) =>
    popcount(((hi[i] ?? 0) ^ (hi[j] ?? 0)) >>> 0) + popcount(((lo[i] ?? 0) ^ (lo[j] ?? 0)) >>> 0);
  const parent = items.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    parent[i] = r;
    return r;
  };
  for (let band = 0; band < bands; band++) {
    const from = Math.floor((band * 64) / bands);
    const width = Math.floor(((band + 1) * 64) / bands) - from;
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < items.length; i++) {
      // The band's bits as a number: from the low word, the high word, or across both.
      const bits = (BigInt(hi[i] ?? 0) << 32n) | BigInt(lo[i] ?? 0);
      const key = Number((bits >> BigInt(from)) & ((1n << BigInt(width)) - 1n));
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
    for (const bucket of buckets.values()) {
      for (let x = 0; x < bucket.length; x++) {
        for (let y = x + 1; y < bucket.length; y++) {
          const i = bucket[x] ?? 0;
          const j = bucket[y] ?? 0;
          if (root(i) !== root(j) && distance(i, j) <= maxBits) parent[root(j)] = root(i);
        }
      }
    }
  }
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => {
    const r = root(i);
    const members = groups.get(r);
    if (members) members.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()]
    .filter((members) => members.length > 1)
    .map((members) => {
      let maxDistance = 0;
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          maxDistance = Math.max(maxDistance, distance(members[x] ?? 0, members[y] ?? 0));
        }
      }
      return { ids: members.map((i) => items[i]?.id ?? 0).sort((a, b) => a - b), maxDistance };
    });
}
