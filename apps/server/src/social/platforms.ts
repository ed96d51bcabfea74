/**
 * Platform catalogue: the seed's 7 platforms and 20 formats (seed-facts §2.1) as one versioned data
 * set, the single source of sizes for every module (the seed had three disagreeing copies).
 * File types and size limits are the platforms' documented upload limits for still images; the
 * seed declared "PNG, 5 MB" for every format and enforced nothing. `verified` is the date an entry was
 * last reviewed against the help page in `source`. The 2026-11-25 review was made without web
 * access (values as those pages documented them), so re-check `source` when touching an entry.
 */

export const CATALOGUE_VERSION = '2026-11-25';

export type PlatformId =
  | 'instagram'
  | 'facebook'
  | 'twitter'
  | 'linkedin'
  | 'youtube'
  | 'pinterest'
  | 'tiktok';
export type UploadType = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif';

/** Fractions of the output height (top, bottom) and width (left, right) kept free of key content. */
export interface SafeZone {
  top: number;
  bottom: number;
  left: number;
  right: number;
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
  fileTypes: readonly UploadType[];
  maxBytes: number;
  verified: string;
  note?: string;
}

export interface PlatformSpec {
  id: PlatformId;
  displayName: string;
  fileTypes: readonly UploadType[];
  /** The platform's general still-image upload limit; a format may be stricter. */
  maxBytes: number;
  source: string;
  verified: string;
  formats: readonly PlatformFormat[];
}

const MB = 1024 * 1024;
const VERIFIED = '2026-11-25';

const FEED: SafeZone = { top: 0.15, bottom: 0.15, left: 0.1, right: 0.1 };
const VERTICAL: SafeZone = { top: 0.25, bottom: 0.15, left: 0.1, right: 0.1 };
const PORTRAIT: SafeZone = { top: 0.2, bottom: 0.2, left: 0.1, right: 0.1 };
const BANNER: SafeZone = { top: 0.2, bottom: 0.1, left: 0.15, right: 0.15 };

type FormatSeed = [
  slug: string,
  name: string,
  width: number,
  height: number,
  ratio: string,
  zone: SafeZone,
  extra?: Partial<Pick<PlatformFormat, 'maxBytes' | 'fileTypes' | 'note'>>,
];

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
    verified: VERIFIED,
    formats: formats.map(([slug, name, width, height, ratio, safeZone, extra]) => ({
      id: `${id}.${slug}`,
      platform: id,
      name,
      width,
      height,
      ratio,
      safeZone,
      fileTypes: extra?.fileTypes ?? fileTypes,
      maxBytes: extra?.maxBytes ?? maxBytes,
      verified: VERIFIED,
      ...(extra?.note ? { note: extra.note } : {}),
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
      ['feed_square', 'Feed Post (Square)', 1080, 1080, '1:1', FEED],
      ['feed_portrait', 'Feed Post (Portrait)', 1080, 1350, '4:5', PORTRAIT],
      ['story', 'Story', 1080, 1920, '9:16', VERTICAL],
      ['reel', 'Reel', 1080, 1920, '9:16', VERTICAL, { note: 'Reel cover image.' }],
    ],
  ),
  platform(
    'facebook',
    'Facebook',
    ['jpeg', 'png', 'gif', 'webp'],
    30 * MB,
    'https://www.facebook.com/help/266520536764594',
    [
      ['feed', 'Feed Post', 1200, 630, '1.91:1', FEED],
      ['feed_square', 'Feed Post (Square)', 1080, 1080, '1:1', FEED],
      ['story', 'Story', 1080, 1920, '9:16', VERTICAL],
      [
        'cover',
        'Cover Photo',
        820,
        312,
        '2.63:1',
        BANNER,
        {
          note: 'Desktop shows 820×312; phones crop the sides to 640×360. The seed labelled it 16:9.',
        },
      ],
    ],
  ),
  platform(
    'twitter',
    'X (Twitter)',
    ['jpeg', 'png', 'gif', 'webp'],
    5 * MB,
    'https://help.x.com/en/using-x/x-image-specs',
    [
      [
        'post',
        'Post',
        1200,
        675,
        '16:9',
        FEED,
        { note: 'The seed template used 1920×1080; the optimizer and specs used 1200×675.' },
      ],
      ['card', 'Card', 1200, 600, '2:1', FEED],
      ['header', 'Header', 1500, 500, '3:1', BANNER, { maxBytes: 2 * MB, fileTypes: ['jpeg', 'png', 'gif'] }],
    ],
  ),
  platform(
    'linkedin',
    'LinkedIn',
    ['jpeg', 'png', 'gif'],
    8 * MB,
    'https://www.linkedin.com/help/linkedin/answer/a563309',
    [
      ['feed', 'Feed Post', 1200, 628, '1.91:1', FEED],
      ['feed_square', 'Feed Post (Square)', 1080, 1080, '1:1', FEED],
      [
        'article',
        'Article',
        1200,
        627,
        '1.91:1',
        FEED,
        { note: 'The seed labelled it 2:1; 1200×627 is 1.91:1.' },
      ],
      [
        'company_cover',
        'Company Cover',
        1128,
        191,
        '5.9:1',
        BANNER,
        {
          maxBytes: 3 * MB,
          fileTypes: ['jpeg', 'png'],
          note: 'The seed labelled it 4:1; 1128×191 is ≈5.9:1.',
        },
      ],
    ],
  ),
  platform(
    'youtube',
    'YouTube',
    ['jpeg', 'png', 'gif'],
    2 * MB,
    'https://support.google.com/youtube/answer/72431',
    [
      ['thumbnail', 'Thumbnail', 1280, 720, '16:9', FEED],
      [
        'channel_art',
        'Channel Art',
        2560,
        1440,
        '16:9',
        BANNER,
        {
          maxBytes: 6 * MB,
          note: 'Only the central 1546×423 shows on every device. The seed template used 1920×1080.',
        },
      ],
    ],
  ),
  platform(
    'pinterest',
    'Pinterest',
    ['jpeg', 'png'],
    20 * MB,
    'https://help.pinterest.com/en/article/create-a-pin',
    [
      ['pin', 'Pin', 1000, 1500, '2:3', PORTRAIT],
      ['story_pin', 'Story Pin', 1080, 1920, '9:16', VERTICAL],
    ],
  ),
  platform(
    'tiktok',
    'TikTok',
    ['jpeg', 'png', 'webp'],
    10 * MB,
    'https://support.tiktok.com/en/using-tiktok/creating-videos/photo-mode',
    [['video_cover', 'Video Cover', 1080, 1920, '9:16', VERTICAL]],
  ),
];

/** Platforms the seed's enum knows but that have no social formats (the seed answers an empty list). */
export const PLATFORMS_WITHOUT_FORMATS = ['blog', 'email', 'website'] as const;

export const PLATFORM_IDS: readonly PlatformId[] = PLATFORMS.map((p) => p.id);

export const ALL_FORMATS: readonly PlatformFormat[] = PLATFORMS.flatMap((p) => p.formats);

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
