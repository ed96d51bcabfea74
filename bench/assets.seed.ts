import type { NewAsset } from '../apps/server/src/db/schema.ts';

/** A deterministic, realistic-looking library for bench:assets (same rows on both databases). */

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

export function seedRows(userId: number, count: number, blobs: SeedBlob[], seed: number): NewAsset[] {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  const rows: NewAsset[] = [];
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
    rows.push({
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
    });
  }
  return rows;
}
