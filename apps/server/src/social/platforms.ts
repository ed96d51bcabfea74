/**
 * Platform catalogue v2: the original's 7 platforms and 20 formats (seed-facts §2.1, names kept for
 * its clients) plus what platforms publish now (Instagram 3:4, LinkedIn 4:5, X wide, Threads,
 * Bluesky), one versioned data set and the single source of sizes for every module.
 *
 * `source` is the help page or spec each fact should be checked against. `verified` is the date a
 * person confirmed the entry against that page, or null: this version was written without web
 * access, from what those pages said when last read, so every entry is null until someone checks
 * it. Limits are kept at the stricter value where memory disagrees (a file that meets a smaller
 * limit meets the larger one too).
 */

export const CATALOGUE_VERSION = '2026-12-03';

export type PlatformId =
  | 'instagram'
  | 'facebook'
  | 'twitter'
  | 'linkedin'
  | 'youtube'
  | 'pinterest'
  | 'tiktok'
  | 'threads'
  | 'bluesky';
export type UploadType = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif';

/** Fractions of the output height (top, bottom) and width (left, right) kept free of key content. */
export interface SafeZone {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** A further area drawn over a format: a nested device area, or how another view crops the post. */
export interface SafeArea extends SafeZone {
  id: string;
  label: string;
}

export interface PlatformFormat {
  /** Stable id, `<platform>.<slug>`. */
  id: string;
  platform: PlatformId;
  /** The seed's format name, matched exactly by `format_names`. */
  name: string;
  width: number;
  height: number;
  /** The true ratio of width:height (the seed mislabelled three formats). */
  ratio: string;
  safeZone: SafeZone;
  /** Nested or alternative areas, drawn as extra overlays (e.g. YouTube's TV/desktop/tablet/mobile). */
  safeAreas: readonly SafeArea[];
  fileTypes: readonly UploadType[];
  maxBytes: number;
  /** The longest side the platform keeps; larger uploads are scaled down by it. */
  maxEdge?: number;
  /**
   * The narrowest width the platform accepts. Present only where the platform takes any size in a
   * range, so an output may be made smaller (same ratio) to meet the byte limit.
   */
  minWidth?: number;
  /** Whether this format is one of the original's 20. */
  seed: boolean;
  source: string;
  verified: string | null;
  note?: string;
}

export interface PlatformSpec {
  id: PlatformId;
  displayName: string;
  fileTypes: readonly UploadType[];
  /** The platform's general still-image upload limit; a format may be stricter. */
  maxBytes: number;
  source: string;
  verified: string | null;
  formats: readonly PlatformFormat[];
}

const MB = 1024 * 1024;

const FEED: SafeZone = { top: 0.15, bottom: 0.15, left: 0.1, right: 0.1 };
const VERTICAL: SafeZone = { top: 0.25, bottom: 0.15, left: 0.1, right: 0.1 };
const PORTRAIT: SafeZone = { top: 0.2, bottom: 0.2, left: 0.1, right: 0.1 };
const BANNER: SafeZone = { top: 0.2, bottom: 0.1, left: 0.15, right: 0.15 };
/**
 * Instagram Stories and Reels share one safe zone: about 250 px at the top (profile, close) and
 * 340 px at the bottom (reply bar, captions) of 1920 kept free, and a small side margin.
 */
const STORY_REEL: SafeZone = { top: 0.13, bottom: 0.18, left: 0.06, right: 0.06 };

/** The profile grid shows posts at 3:4: the centre of a wider post, full height. */
const gridCrop = (width: number, height: number): SafeArea => {
  const side = (1 - (height * 0.75) / width) / 2;
  return { id: 'grid', label: 'Profile grid (3:4)', top: 0, bottom: 0, left: side, right: side };
};

/** YouTube's banner: 2560×1440 on TV, a 423 px high band on desktop, narrower on tablet and phone. */
const band = (id: string, label: string, width: number): SafeArea => ({
  id,
  label,
  top: (1440 - 423) / 2 / 1440,
  bottom: (1440 - 423) / 2 / 1440,
  left: (2560 - width) / 2 / 2560,
  right: (2560 - width) / 2 / 2560,
});
const YOUTUBE_BANNER_AREAS: SafeArea[] = [
  { id: 'tv', label: 'TV (2560×1440)', top: 0, bottom: 0, left: 0, right: 0 },
  band('desktop', 'Desktop (2560×423)', 2560),
  band('tablet', 'Tablet (1855×423)', 1855),
  band('mobile', 'Mobile, safe on all (1546×423)', 1546),
];
const mobileBand = band('mobile', '', 1546);
const YOUTUBE_SAFE_ALL: SafeZone = {
  top: mobileBand.top,
  bottom: mobileBand.bottom,
  left: mobileBand.left,
  right: mobileBand.right,
};

interface FormatSeed {
  slug: string;
  name: string;
  width: number;
  height: number;
  ratio: string;
  zone: SafeZone;
  areas?: SafeArea[];
  maxBytes?: number;
  fileTypes?: readonly UploadType[];
  maxEdge?: number;
  minWidth?: number;
  /** Not one of the original's 20. */
  added?: boolean;
  source?: string;
  note?: string;
}

function platform(
  id: PlatformId,
  displayName: string,
  fileTypes: readonly UploadType[],
  maxBytes: number,
  source: string,
  formats: FormatSeed[],
): PlatformSpec {
  return {
    id,
    displayName,
    fileTypes,
    maxBytes,
    source,
    verified: null,
    formats: formats.map((f) => ({
      id: `${id}.${f.slug}`,
      platform: id,
      name: f.name,
      width: f.width,
      height: f.height,
      ratio: f.ratio,
      safeZone: f.zone,
      safeAreas: f.areas ?? [],
      fileTypes: f.fileTypes ?? fileTypes,
      maxBytes: f.maxBytes ?? maxBytes,
      ...(f.maxEdge ? { maxEdge: f.maxEdge } : {}),
      ...(f.minWidth ? { minWidth: f.minWidth } : {}),
      seed: !f.added,
      source: f.source ?? source,
      verified: null,
      ...(f.note ? { note: f.note } : {}),
    })),
  };
}

export const PLATFORMS: readonly PlatformSpec[] = [
  platform(
    'instagram',
    'Instagram',
    ['jpeg', 'png'],
    30 * MB,
    'https://help.instagram.com/1631821640426723',
    [
      {
        slug: 'feed_square',
        name: 'Feed Post (Square)',
        width: 1080,
        height: 1080,
        ratio: '1:1',
        zone: FEED,
        areas: [gridCrop(1080, 1080)],
        minWidth: 320,
      },
      {
        slug: 'feed_portrait',
        name: 'Feed Post (Portrait)',
        width: 1080,
        height: 1350,
        ratio: '4:5',
        zone: PORTRAIT,
        areas: [gridCrop(1080, 1350)],
        minWidth: 320,
      },
      {
        slug: 'story',
        name: 'Story',
        width: 1080,
        height: 1920,
        ratio: '9:16',
        zone: STORY_REEL,
        note: 'Stories and Reels share one safe zone.',
      },
      {
        slug: 'reel',
        name: 'Reel',
        width: 1080,
        height: 1920,
        ratio: '9:16',
        zone: STORY_REEL,
        note: 'Reel cover image; the same safe zone as Stories.',
      },
      {
        slug: 'feed_3x4',
        name: 'Feed Post (3:4)',
        width: 1080,
        height: 1440,
        ratio: '3:4',
        zone: PORTRAIT,
        minWidth: 320,
        added: true,
        source: 'https://about.instagram.com/blog/announcements',
        note: 'The profile grid shows posts at 3:4; a 3:4 post shows whole there.',
      },
    ],
  ),
  platform(
    'facebook',
    'Facebook',
    ['jpeg', 'png', 'gif', 'webp'],
    30 * MB,
    'https://www.facebook.com/help/266520536764594',
    [
      { slug: 'feed', name: 'Feed Post', width: 1200, height: 630, ratio: '1.91:1', zone: FEED },
      {
        slug: 'feed_square',
        name: 'Feed Post (Square)',
        width: 1080,
        height: 1080,
        ratio: '1:1',
        zone: FEED,
      },
      { slug: 'story', name: 'Story', width: 1080, height: 1920, ratio: '9:16', zone: VERTICAL },
      {
        slug: 'cover',
        name: 'Cover Photo',
        width: 820,
        height: 312,
        ratio: '2.63:1',
        zone: BANNER,
        note: 'Desktop shows 820×312; phones crop the sides to 640×360. The seed labelled it 16:9.',
      },
    ],
  ),
  platform(
    'twitter',
    'X (Twitter)',
    ['jpeg', 'png', 'gif', 'webp'],
    5 * MB,
    'https://help.x.com/en/using-x/x-image-specs',
    [
      {
        slug: 'post',
        name: 'Post',
        width: 1200,
        height: 675,
        ratio: '16:9',
        zone: FEED,
        note: 'The seed template used 1920×1080; the optimizer and specs used 1200×675.',
      },
      { slug: 'card', name: 'Card', width: 1200, height: 600, ratio: '2:1', zone: FEED },
      {
        slug: 'header',
        name: 'Header',
        width: 1500,
        height: 500,
        ratio: '3:1',
        zone: BANNER,
        maxBytes: 2 * MB,
        fileTypes: ['jpeg', 'png', 'gif'],
      },
      {
        slug: 'single_wide',
        name: 'Single Image (2:1)',
        width: 2048,
        height: 1024,
        ratio: '2:1',
        zone: FEED,
        maxEdge: 4096,
        minWidth: 600,
        added: true,
        note: 'A single image shows uncropped in the timeline up to 2:1.',
      },
    ],
  ),
  platform(
    'linkedin',
    'LinkedIn',
    ['jpeg', 'png', 'gif'],
    8 * MB,
    'https://www.linkedin.com/help/linkedin/answer/a563309',
    [
      { slug: 'feed', name: 'Feed Post', width: 1200, height: 628, ratio: '1.91:1', zone: FEED },
      {
        slug: 'feed_square',
        name: 'Feed Post (Square)',
        width: 1080,
        height: 1080,
        ratio: '1:1',
        zone: FEED,
      },
      {
        slug: 'article',
        name: 'Article',
        width: 1200,
        height: 627,
        ratio: '1.91:1',
        zone: FEED,
        note: 'The seed labelled it 2:1; 1200×627 is 1.91:1.',
      },
      {
        slug: 'company_cover',
        name: 'Company Cover',
        width: 1128,
        height: 191,
        ratio: '5.9:1',
        zone: BANNER,
        maxBytes: 3 * MB,
        fileTypes: ['jpeg', 'png'],
        note: 'The seed labelled it 4:1; 1128×191 is ≈5.9:1.',
      },
      {
        slug: 'feed_portrait',
        name: 'Feed Post (Portrait)',
        width: 1080,
        height: 1350,
        ratio: '4:5',
        zone: PORTRAIT,
        added: true,
      },
    ],
  ),
  platform(
    'youtube',
    'YouTube',
    ['jpeg', 'png', 'gif'],
    2 * MB,
    'https://support.google.com/youtube/answer/72431',
    [
      {
        slug: 'thumbnail',
        name: 'Thumbnail',
        width: 1280,
        height: 720,
        ratio: '16:9',
        zone: FEED,
        minWidth: 640,
        note: 'At least 640 px wide. Kept at the long-standing 2 MB limit: a larger limit has been reported but is not confirmed here.',
      },
      {
        slug: 'channel_art',
        name: 'Channel Art',
        width: 2560,
        height: 1440,
        ratio: '16:9',
        zone: YOUTUBE_SAFE_ALL,
        areas: YOUTUBE_BANNER_AREAS,
        maxBytes: 6 * MB,
        source: 'https://support.google.com/youtube/answer/2972003',
        note: 'The banner: TV shows it all; desktop, tablet and phone show nested central bands. The seed template used 1920×1080.',
      },
    ],
  ),
  platform(
    'pinterest',
    'Pinterest',
    ['jpeg', 'png'],
    20 * MB,
    'https://help.pinterest.com/en/article/create-a-pin',
    [
      { slug: 'pin', name: 'Pin', width: 1000, height: 1500, ratio: '2:3', zone: PORTRAIT },
      { slug: 'story_pin', name: 'Story Pin', width: 1080, height: 1920, ratio: '9:16', zone: VERTICAL },
    ],
  ),
  platform(
    'tiktok',
    'TikTok',
    ['jpeg', 'png', 'webp'],
    10 * MB,
    'https://support.tiktok.com/en/using-tiktok/creating-videos/photo-mode',
    [{ slug: 'video_cover', name: 'Video Cover', width: 1080, height: 1920, ratio: '9:16', zone: VERTICAL }],
  ),
  platform(
    'threads',
    'Threads',
    ['jpeg', 'png'],
    8 * MB,
    'https://developers.facebook.com/docs/threads/overview',
    [
      {
        slug: 'post_portrait',
        name: 'Post (Portrait)',
        width: 1440,
        height: 1800,
        ratio: '4:5',
        zone: PORTRAIT,
        minWidth: 320,
        added: true,
        note: 'Images 320–1440 px wide.',
      },
      {
        slug: 'post_square',
        name: 'Post (Square)',
        width: 1440,
        height: 1440,
        ratio: '1:1',
        zone: FEED,
        minWidth: 320,
        added: true,
      },
    ],
  ),
  platform(
    'bluesky',
    'Bluesky',
    ['jpeg', 'png', 'webp'],
    1_000_000,
    'https://docs.bsky.app/docs/advanced-guides/posts',
    [
      {
        slug: 'post_square',
        name: 'Post (Square)',
        width: 2000,
        height: 2000,
        ratio: '1:1',
        zone: FEED,
        maxEdge: 2000,
        minWidth: 600,
        added: true,
        note: 'Up to 4 images a post, each at most 1,000,000 bytes and 2000×2000 px.',
      },
      {
        slug: 'post_landscape',
        name: 'Post (Landscape)',
        width: 2000,
        height: 1125,
        ratio: '16:9',
        zone: FEED,
        maxEdge: 2000,
        minWidth: 600,
        added: true,
      },
      {
        slug: 'post_portrait',
        name: 'Post (Portrait)',
        width: 1600,
        height: 2000,
        ratio: '4:5',
        zone: PORTRAIT,
        maxEdge: 2000,
        minWidth: 480,
        added: true,
      },
    ],
  ),
];

/** Platforms the seed's enum knows but that have no social formats (the seed answers an empty list). */
export const PLATFORMS_WITHOUT_FORMATS = ['blog', 'email', 'website'] as const;

export const PLATFORM_IDS: readonly PlatformId[] = PLATFORMS.map((p) => p.id);

export const ALL_FORMATS: readonly PlatformFormat[] = PLATFORMS.flatMap((p) => p.formats);

/** The original's 20 formats, in its order. */
export const SEED_FORMATS: readonly PlatformFormat[] = ALL_FORMATS.filter((f) => f.seed);

export function findPlatform(id: string): PlatformSpec | undefined {
  const key = id.trim().toLowerCase();
  const alias = key === 'x' ? 'twitter' : key;
  return PLATFORMS.find((p) => p.id === alias);
}

/** A format by the seed's exact name or by its id/slug; undefined when the platform has no such format. */
export function findFormat(platform: PlatformSpec, nameOrId: string): PlatformFormat | undefined {
  return platform.formats.find(
    (f) => f.name === nameOrId || f.id === nameOrId || f.id === `${platform.id}.${nameOrId}`,
  );
}

export function findFormatById(id: string): PlatformFormat | undefined {
  return ALL_FORMATS.find((f) => f.id === id);
}
