import type { EncodeFormat } from './encode.ts';

/** One encode the search asks for: a format, a quality and a scale of the output's pixel size. */
export interface BudgetAttempt<F extends EncodeFormat = EncodeFormat> {
  format: F;
  quality: number;
  scale: number;
  /** JPEG's standard Huffman tables (see `EncodeSettings.standardTables`); fitted ones otherwise. */
  standardTables?: boolean;
}

export interface BudgetOptions<F extends EncodeFormat> {
  format: F;
  quality: number;
  maxBytes: number;
  /** Quality floor per format; below it images fall apart. */
  minQuality: (format: F) => number;
  /** Formats to fall back to, in order, when no quality of `format` fits (e.g. PNG → JPEG). */
  fallbackFormats: readonly F[];
  /** Smallest scale allowed (1 = fixed size): the platform's minimum width over the output's. */
  minScale: number;
}

export interface BudgetResult<F extends EncodeFormat = EncodeFormat> extends BudgetAttempt<F> {
  bytes: Buffer;
  withinLimit: boolean;
  /** Encodes spent, the first at the requested settings included. */
  encodes: number;
}

/** Aim a little under the limit so interpolation lands inside it rather than on either side. */
const AIM = 0.96;
/** Encodes the search spends once something fits; past that, the best fit so far is kept. */
const MAX_ENCODES = 6;
/** A palette PNG is at best about a third of a true-colour one (8 bits a pixel instead of 24). */
const PALETTE_GAIN = 3;
/** Lossy sizes grow roughly by this factor per quality step (a guide for the first guess only). */
const GROWTH_PER_STEP = Math.log(1.025);

interface Point {
  quality: number;
  size: number;
}

/**
 * Finds the best encode within `maxBytes`: quality first, then (only if even the floor is too big)
 * another accepted format, then a smaller size within the platform's range. Size falls with quality
 * close to exponentially, so the search interpolates log(size) between the best fit and the
 * smallest miss (regula falsi) rather than bisecting, and guesses what it need not measure (a
 * smaller size from pixels, a palette PNG's best case). Once anything fits, the search stops by the
 * sixth encode and keeps the best fit. Never passes a file over the limit as fitting: then
 * `withinLimit` is false and the caller reports the output as failed.
 */
export async function fitByteBudget<F extends EncodeFormat>(
  encode: (a: BudgetAttempt<F>) => Promise<Buffer>,
  o: BudgetOptions<F>,
): Promise<BudgetResult<F>> {
  let encodes = 0;
  let smallest: BudgetResult<F> | undefined;
  const floors = new Map<F, number>();
  const run = async (a: BudgetAttempt<F>): Promise<BudgetResult<F>> => {
    const bytes = await encode(a);
    encodes++;
    const r = { ...a, bytes, withinLimit: bytes.length <= o.maxBytes, encodes };
    if (!smallest || bytes.length < smallest.bytes.length) smallest = r;
    return r;
  };
  const done = (r: BudgetResult<F>): BudgetResult<F> => ({ ...r, encodes });
  const floorOf = (format: F) => Math.min(o.minQuality(format), o.quality);

  // A JPEG first goes out with the standard tables, which nearly always fit and cost half the CPU;
  // a miss is encoded again with fitted tables, a few percent smaller at the same quality, before
  // any quality is given up, and the search goes on from that.
  let first = await run({
    format: o.format,
    quality: o.quality,
    scale: 1,
    ...(o.format === 'jpeg' ? { standardTables: true } : {}),
  });
  if (first.withinLimit) return done(first);
  if (first.standardTables) {
    first = await run({ format: o.format, quality: o.quality, scale: 1 });
    if (first.withinLimit) return done(first);
  }

  /** Encodes the floor; if it fits, interpolates towards `miss` (measured or guessed) while budget lasts. */
  const tryFormat = async (format: F, scale: number, guessMiss: (floor: Point) => Point) => {
    const floor = await run({ format, quality: floorOf(format), scale });
    floors.set(format, floor.bytes.length / (scale * scale));
    if (!floor.withinLimit) return undefined;
    let fit = floor;
    let miss = guessMiss({ quality: floor.quality, size: floor.bytes.length });
    while (encodes < MAX_ENCODES && miss.quality - fit.quality > 1) {
      const lf = Math.log(fit.bytes.length);
      const lm = Math.log(miss.size);
      const t = lm > lf ? (Math.log(o.maxBytes * AIM) - lf) / (lm - lf) : 0.5;
      const q = Math.round(fit.quality + t * (miss.quality - fit.quality));
      const next = Math.min(miss.quality - 1, Math.max(fit.quality + 1, q));
      const r = await run({ format, quality: next, scale });
      if (r.withinLimit) fit = r;
      else miss = { quality: r.quality, size: r.bytes.length };
    }
    return fit;
  };
  /** What the requested quality would weigh: measured at full size, else grown from the floor. */
  const guess =
    (format: F, scale: number) =>
    (floor: Point): Point => {
      if (format === o.format) return { quality: o.quality, size: first.bytes.length * scale * scale };
      const grown = floor.size * Math.exp(GROWTH_PER_STEP * (o.quality - floor.quality));
      return { quality: o.quality, size: Math.max(grown, o.maxBytes * 1.1) };
    };

  const paletteHopeless = o.format === 'png' && first.bytes.length > PALETTE_GAIN * o.maxBytes;
  if (!(paletteHopeless && o.fallbackFormats.length > 0)) {
    const r = await tryFormat(o.format, 1, guess(o.format, 1));
    if (r) return done(r);
  }
  for (const format of o.fallbackFormats) {
    if (format === o.format) continue;
    const r = await tryFormat(format, 1, guess(format, 1));
    if (r) return done(r);
  }
  if (o.minScale < 1) {
    // Bytes grow with pixels: shrink by the square root of the overshoot at the floor, then to the minimum.
    const format = o.fallbackFormats[0] ?? o.format;
    const atFloor = floors.get(format) ?? first.bytes.length;
    const s = Math.max(o.minScale, Math.min(0.95, Math.sqrt((o.maxBytes * AIM) / atFloor)));
    for (const scale of s > o.minScale ? [s, o.minScale] : [o.minScale]) {
      const r = await tryFormat(format, scale, guess(format, scale));
      if (r) return done(r);
    }
  }
  const best = smallest ?? first;
  return { ...best, withinLimit: false, encodes };
}
