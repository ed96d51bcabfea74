import SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database, NewAsset } from '../apps/server/src/db/schema.ts';
import { rgbToLab } from '../apps/server/src/imaging/colour.ts';

/**
 * A deterministic, realistic-looking library for bench:assets (same rows on both databases), with
 * what understanding/ adds to every image: automatic tags (`asset_auto_tags` and their labels in
 * `assets.auto_text`), recognised text on about a fifth of the images (also in `auto_text`), and a
 * palette of 3–5 CIELAB colours (`asset_colors`).
 */

const SUBJECTS = [
  'lighthouse',
  'fox',
  'mountain',
  'city',
  'portrait',
  'robot',
  'garden',
  'harbour',
  'desert',
  'forest',
  'castle',
  'bicycle',
  'coffee',
  'sneaker',
  'perfume',
  'watch',
  'dragon',
  'astronaut',
  'waterfall',
  'bridge',
  'cat',
  'owl',
  'violin',
  'cathedral',
  'lantern',
  'orchid',
  'glacier',
  'market',
  'train',
  'sailboat',
];
/** What CenterNet plausibly finds in a picture of each subject (COCO classes), beside chance hits. */
const SUBJECT_OBJECTS: Record<string, string[]> = {
  lighthouse: ['boat'],
  fox: ['dog'],
  city: ['car', 'person', 'traffic light'],
  portrait: ['person', 'tie'],
  robot: ['person'],
  garden: ['potted plant', 'bench'],
  harbour: ['boat', 'person'],
  bicycle: ['bicycle', 'person'],
  coffee: ['cup', 'dining table'],
  perfume: ['bottle', 'vase'],
  watch: ['clock'],
  astronaut: ['person'],
  bridge: ['car', 'truck'],
  cat: ['cat', 'couch'],
  owl: ['bird'],
  violin: ['person', 'chair'],
  market: ['person', 'umbrella', 'handbag'],
  train: ['train', 'person'],
  sailboat: ['boat'],
};
const CHANCE_OBJECTS = [
  'person',
  'chair',
  'bottle',
  'cup',
  'book',
  'clock',
  'potted plant',
  'laptop',
  'cell phone',
];
/** Words of posters, ads and screenshots: what OCR gives back for about a fifth of the images. */
const TEXTS = [
  'SUMMER SALE up to 50% off',
  'Grand opening this Saturday',
  'New collection 2026',
  'Free shipping on all orders',
  'Limited edition',
  'Black Friday deals',
  'Book your table now',
  'Open daily 9 to 5',
  'Winter warmers menu',
  'Join the waitlist',
  'Handmade in Lisbon',
  'Flash sale ends tonight',
];
const ADJECTIVES = [
  'red',
  'misty',
  'golden',
  'neon',
  'quiet',
  'ancient',
  'minimal',
  'vibrant',
  'moody',
  'sunlit',
  'frozen',
  'rustic',
  'futuristic',
  'pastel',
  'stormy',
  'cozy',
];
const STYLES = [
  'watercolor',
  'photorealistic',
  'oil painting',
  'isometric',
  'cinematic lighting',
  'studio product shot',
  'pixel art',
  'line drawing',
  'long exposure',
  'film grain',
];
const PROVIDERS: Record<string, string[]> = {
  stability: ['sd3.5-large', 'sd3.5-medium', 'stable-image-ultra', 'stable-image-core'],
  wavespeed: ['ideogram-v3', 'qwen-image', 'qwen-image-edit'],
  huggingface: ['flux-1-schnell', 'sdxl-base'],
  gemini: ['gemini-2.5-flash-image', 'imagen-4'],
  local: ['esrgan-thick', 'isnet'],
};
const OPERATIONS = ['generate', 'generate', 'generate', 'edit', 'upscale', 'social', 'remove_background'];
const PLATFORMS = ['instagram', 'facebook', 'tiktok', 'linkedin', 'youtube', 'pinterest', 'x'];
const SIZES = [
  [1024, 1024],
  [1536, 1024],
  [1024, 1536],
  [2048, 2048],
  [1080, 1920],
  [512, 512],
];
const TAGS = ['campaign', 'draft', 'approved', 'client-a', 'client-b', 'summer', 'winter', 'hero', 'banner'];

/** Deterministic PRNG (mulberry32) so both databases get the same library. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedBlob {
  sha256: string;
  small: string | null;
  large: string | null;
  thumbhash: string | null;
  size: number;
}

interface SeedTag {
  label: string;
  score: number;
  source: 'centernet' | 'movenet';
}

interface SeedColour {
  l: number;
  a: number;
  b: number;
  share: number;
}

/** One asset as understanding/ leaves it: the row (with `auto_text`), its tags and its palette. */
interface SeedAsset {
  row: NewAsset & { auto_text: string | null };
  tags: SeedTag[];
  colours: SeedColour[];
}

/** The rows of one user's library, a batch at a time so a million never sit in memory at once. */
function* seedAssets(
  userId: number,
  count: number,
  blobs: SeedBlob[],
  seed: number,
  batch: number,
): Generator<SeedAsset[]> {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  let rows: SeedAsset[] = [];
  for (let i = 0; i < count; i++) {
    const provider = pick(Object.keys(PROVIDERS));
    const model = pick(PROVIDERS[provider] ?? []);
    const operation = pick(OPERATIONS);
    const subject = pick(SUBJECTS);
    const adjective = pick(ADJECTIVES);
    const [width, height] = pick(SIZES) as [number, number];
    const blob = pick(blobs);
    const platform = operation === 'social' ? pick(PLATFORMS) : undefined;
    const tags = [pick(TAGS), ...(r() < 0.3 ? [pick(TAGS)] : []), ...(platform ? [platform] : [])];
    const created = new Date(start + Math.floor((span * i) / count) + Math.floor(r() * 60_000)).toISOString();
    const found = new Map<string, SeedTag>();
    for (const label of [...(SUBJECT_OBJECTS[subject] ?? []), pick(CHANCE_OBJECTS)]) {
      if (r() < 0.7) {
        const score = Math.round((0.35 + r() * 0.6) * 1000) / 1000;
        found.set(label, { label, score, source: label === 'person' && r() < 0.5 ? 'movenet' : 'centernet' });
      }
    }
    const autoTags = [...found.values()].sort((x, y) => y.score - x.score);
    const text = r() < 0.2 ? pick(TEXTS) : null;
    const autoText = [autoTags.map((t) => t.label).join(' '), text ?? ''].filter((p) => p !== '').join('\n');
    let left = 1;
    const colours: SeedColour[] = [];
    const swatches = 3 + Math.floor(r() * 3);
    for (let c = 0; c < swatches; c++) {
      const share = c === swatches - 1 ? left : Math.round(left * (0.3 + r() * 0.4) * 1000) / 1000;
      left -= share;
      const lab = rgbToLab(Math.floor(r() * 256), Math.floor(r() * 256), Math.floor(r() * 256));
      colours.push({
        l: Math.round(lab.l),
        a: Math.round(lab.a),
        b: Math.round(lab.b),
        share: Math.round(share * 1000) / 1000,
      });
    }
    rows.push({
      row: {
        user_id: userId,
        asset_type: 'image',
        source_module: r() < 0.85 ? 'image_studio' : 'upload',
        operation,
        provider,
        model,
        prompt: `${adjective} ${subject} at ${pick(['dawn', 'noon', 'dusk', 'night'])}, ${pick(STYLES)}, ${pick(STYLES)}`,
        title: `${adjective} ${subject} ${i}`,
        description: r() < 0.2 ? `Variant for the ${pick(TAGS)} set` : null,
        params: JSON.stringify(platform ? { platform, seed: i } : { seed: i, steps: 30 }),
        width,
        height,
        format: 'png',
        mime_type: 'image/png',
        file_size: blob.size + Math.floor(r() * 1_000_000),
        sha256: blob.sha256,
        thumb_small_sha256: blob.small,
        thumb_large_sha256: blob.large,
        thumbhash: blob.thumbhash,
        cost_credits: Math.round(r() * 800) / 100,
        is_favorite: r() < 0.05 ? 1 : 0,
        tags: JSON.stringify([...new Set(tags)]),
        collection_id: null,
        download_count: 0,
        share_count: 0,
        access_count: 0,
        last_accessed: null,
        deleted_at: r() < 0.01 ? created : null,
        created_at: created,
        updated_at: created,
        auto_text: autoText === '' ? null : autoText,
      },
      tags: autoTags,
      colours,
    });
    if (rows.length === batch) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows;
}

const ASSET_COLUMNS = [
  'user_id',
  'asset_type',
  'source_module',
  'operation',
  'provider',
  'model',
  'prompt',
  'title',
  'description',
  'params',
  'width',
  'height',
  'format',
  'mime_type',
  'file_size',
  'sha256',
  'thumb_small_sha256',
  'thumb_large_sha256',
  'thumbhash',
  'cost_credits',
  'is_favorite',
  'tags',
  'collection_id',
  'download_count',
  'share_count',
  'access_count',
  'last_accessed',
  'deleted_at',
  'created_at',
  'updated_at',
  'auto_text',
] as const;

/**
 * PostgreSQL: one INSERT … SELECT per batch over a JSON array parameter (json_populate_recordset),
 * so a few thousand rows cost one statement and one parameter instead of 31 parameters a row.
 */
function bulkInsert(table: string, columns: readonly string[], rows: object[], returnIds: boolean) {
  const cols = columns.join(', ');
  const returning = returnIds ? ' RETURNING id' : '';
  return sql<{ id: number }>`${sql.raw(`INSERT INTO ${table} (${cols}) SELECT ${cols}
    FROM json_populate_recordset(null::${table}, `)}${JSON.stringify(rows)}${sql.raw(`::json)${returning}`)}`;
}

const TAG_COLUMNS = ['asset_id', 'user_id', 'label', 'score', 'source', 'removed'] as const;
const COLOUR_COLUMNS = ['asset_id', 'user_id', 'l', 'a', 'b', 'share'] as const;

export type SeedTarget = { dialect: 'postgres'; db: Kysely<Database> } | { dialect: 'sqlite'; file: string };

/**
 * Seeds one user's library in one transaction (the triggers that keep tags, counts and the search
 * index run as usual); returns how many rows went into each table. SQLite gets its own connection
 * to the file for a loop of prepared statements, the fastest way in; the app's connection is idle.
 */
export async function seedLibrary(
  target: SeedTarget,
  userId: number,
  count: number,
  blobs: SeedBlob[],
  seed: number,
): Promise<{ assets: number; autoTags: number; colours: number }> {
  const done = { assets: 0, autoTags: 0, colours: 0 };
  const batches = seedAssets(userId, count, blobs, seed, 2000);
  if (target.dialect === 'sqlite') {
    const conn = new SqliteDatabase(target.file);
    try {
      conn.pragma('busy_timeout = 5000');
      // One transaction of a million rows: a small page cache spills the same index pages to the
      // WAL again and again (700 MB of WAL after 17 minutes at the default 2 MB).
      conn.pragma('cache_size = -524288');
      const values = (cols: readonly string[]) => cols.map((c) => `@${c}`).join(', ');
      const insert = (table: string, cols: readonly string[]) =>
        conn.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${values(cols)})`);
      const asset = insert('assets', ASSET_COLUMNS);
      const tag = insert('asset_auto_tags', TAG_COLUMNS);
      const colour = insert('asset_colors', COLOUR_COLUMNS);
      conn.transaction(() => {
        for (const batch of batches) {
          for (const a of batch) {
            const id = Number(asset.run(a.row).lastInsertRowid);
            for (const t of a.tags) tag.run({ asset_id: id, user_id: userId, ...t, removed: 0 });
            for (const c of a.colours) colour.run({ asset_id: id, user_id: userId, ...c });
            done.autoTags += a.tags.length;
            done.colours += a.colours.length;
          }
          done.assets += batch.length;
        }
      })();
    } finally {
      conn.close();
    }
    return done;
  }
  await target.db.transaction().execute(async (trx) => {
    for (const batch of batches) {
      const inserted = await bulkInsert(
        'assets',
        ASSET_COLUMNS,
        batch.map((a) => a.row),
        true,
      ).execute(trx);
      // RETURNING hands the ids back in insertion order, which is the batch's order.
      const ids = inserted.rows.map((r) => Number(r.id));
      const tags = batch.flatMap((a, i) =>
        a.tags.map((t) => ({ asset_id: ids[i], user_id: userId, ...t, removed: 0 })),
      );
      const colours = batch.flatMap((a, i) =>
        a.colours.map((c) => ({ asset_id: ids[i], user_id: userId, ...c })),
      );
      await bulkInsert('asset_auto_tags', TAG_COLUMNS, tags, false).execute(trx);
      await bulkInsert('asset_colors', COLOUR_COLUMNS, colours, false).execute(trx);
      done.assets += batch.length;
      done.autoTags += tags.length;
      done.colours += colours.length;
    }
  });
  return done;
}
