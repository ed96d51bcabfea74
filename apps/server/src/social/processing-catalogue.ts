import { DEFAULT_QUALITY } from '../imaging/encode.ts';

/**
 * What the compress and convert tools offer, as the original's catalogue endpoints list it
 * (`/compress/formats`, `/compress/presets`, `/convert-format/supported`,
 * `/convert-format/recommendations`; field names from its compression and format-converter
 * services). It describes our own encoders, not the outside world, so it carries no `source`.
 * Recommended qualities are the encoder defaults the tools use when none is sent.
 */

export type CompressFormatId = 'jpeg' | 'png' | 'webp' | 'avif';

export interface CompressionFormatEntry {
  id: CompressFormatId;
  name: string;
  extension: string;
  description: string;
  supports_transparency: boolean;
  quality_range: [number, number];
  recommended_quality: number;
  use_cases: string[];
}

export const COMPRESSION_FORMATS: readonly CompressionFormatEntry[] = [
  {
    id: 'jpeg',
    name: 'JPEG',
    extension: '.jpg',
    description: 'Best for photos. Lossy compression with excellent size reduction.',
    supports_transparency: false,
    quality_range: [1, 100],
    recommended_quality: DEFAULT_QUALITY.jpeg,
    use_cases: ['Photos', 'Blog images', 'Email', 'Social media'],
  },
  {
    id: 'png',
    name: 'PNG',
    extension: '.png',
    description:
      'Best for graphics with transparency. Lossless at quality 100; below 100 it reduces the palette for smaller files.',
    supports_transparency: true,
    quality_range: [1, 100],
    recommended_quality: DEFAULT_QUALITY.png,
    use_cases: ['Logos', 'Icons', 'Graphics', 'Screenshots'],
  },
  {
    id: 'webp',
    name: 'WebP',
    extension: '.webp',
    description: 'Modern format with excellent compression, usually smaller than JPEG at the same look.',
    supports_transparency: true,
    quality_range: [1, 100],
    recommended_quality: DEFAULT_QUALITY.webp,
    use_cases: ['Web images', 'Fast loading', 'Modern browsers'],
  },
  {
    id: 'avif',
    name: 'AVIF',
    extension: '.avif',
    description: 'Newest web format: the smallest files for photos, slower to encode.',
    supports_transparency: true,
    quality_range: [1, 100],
    recommended_quality: DEFAULT_QUALITY.avif,
    use_cases: ['Web images', 'Large photos', 'Bandwidth-limited pages'],
  },
];

export interface CompressionPresetEntry {
  id: string;
  name: string;
  description: string;
  format: CompressFormatId;
  quality: number;
  target_size_kb?: number;
  strip_metadata: boolean;
}

/**
 * The original's five presets. "High Quality" is PNG at 100 here: below 100 our PNG encoder
 * quantises the palette, which would make the preset the opposite of its name.
 */
export const COMPRESSION_PRESETS: readonly CompressionPresetEntry[] = [
  {
    id: 'web',
    name: 'Web Optimized',
    description: 'Balanced quality and size for web pages',
    format: 'webp',
    quality: 80,
    strip_metadata: true,
  },
  {
    id: 'email',
    name: 'Email Friendly',
    description: 'Small file size for email attachments (<200KB target)',
    format: 'jpeg',
    quality: 70,
    target_size_kb: 200,
    strip_metadata: true,
  },
  {
    id: 'social',
    name: 'Social Media',
    description: 'Optimized for social platforms',
    format: 'jpeg',
    quality: 85,
    strip_metadata: true,
  },
  {
    id: 'high_quality',
    name: 'High Quality',
    description: 'Lossless, for quality-critical images',
    format: 'png',
    quality: 100,
    strip_metadata: false,
  },
  {
    id: 'maximum',
    name: 'Maximum Compression',
    description: 'Smallest possible file size',
    format: 'webp',
    quality: 60,
    strip_metadata: true,
  },
];

export interface ConvertibleFormatEntry {
  id: string;
  name: string;
  description: string;
  supports_transparency: boolean;
  supports_lossy: boolean;
  mime_type: string;
}

/** Every `target_format` `POST /convert-format` accepts, `jpg` listed beside `jpeg` as the original did. */
export const CONVERTIBLE_FORMATS: readonly ConvertibleFormatEntry[] = [
  {
    id: 'png',
    name: 'PNG',
    description: 'Lossless format with transparency support',
    supports_transparency: true,
    supports_lossy: false,
    mime_type: 'image/png',
  },
  {
    id: 'jpeg',
    name: 'JPEG',
    description: 'Lossy format, best for photos',
    supports_transparency: false,
    supports_lossy: true,
    mime_type: 'image/jpeg',
  },
  {
    id: 'jpg',
    name: 'JPEG',
    description: 'Lossy format, best for photos',
    supports_transparency: false,
    supports_lossy: true,
    mime_type: 'image/jpeg',
  },
  {
    id: 'webp',
    name: 'WebP',
    description: 'Modern format with excellent compression',
    supports_transparency: true,
    supports_lossy: true,
    mime_type: 'image/webp',
  },
  {
    id: 'avif',
    name: 'AVIF',
    description: 'Newest web format with the smallest photo files',
    supports_transparency: true,
    supports_lossy: true,
    mime_type: 'image/avif',
  },
  {
    id: 'gif',
    name: 'GIF',
    description: 'Up to 256 colours with transparency; for simple graphics',
    supports_transparency: true,
    supports_lossy: false,
    mime_type: 'image/gif',
  },
  {
    id: 'bmp',
    name: 'BMP',
    description: 'Uncompressed bitmap format',
    supports_transparency: false,
    supports_lossy: false,
    mime_type: 'image/bmp',
  },
  {
    id: 'tiff',
    name: 'TIFF',
    description: 'High-quality format for print (LZW, lossless at quality 100)',
    supports_transparency: true,
    supports_lossy: false,
    mime_type: 'image/tiff',
  },
];

export interface FormatRecommendation {
  format: string;
  reason: string;
}

const FROM_JPEG: FormatRecommendation[] = [
  { format: 'webp', reason: 'Smaller with similar quality' },
  { format: 'avif', reason: 'Smallest file for photos; newer browsers and apps' },
  { format: 'png', reason: 'Lossless, supports transparency' },
];

/** The original's table (png, jpeg, jpg, webp) plus the other formats we read. */
const RECOMMENDATIONS: Readonly<Record<string, readonly FormatRecommendation[]>> = {
  png: [
    { format: 'webp', reason: 'Much smaller file size, maintains transparency' },
    { format: 'jpeg', reason: 'Best for photos, smaller file size' },
  ],
  jpeg: FROM_JPEG,
  jpg: FROM_JPEG,
  webp: [
    { format: 'png', reason: 'Better compatibility, lossless' },
    { format: 'jpeg', reason: 'Universal compatibility' },
  ],
  avif: [
    { format: 'jpeg', reason: 'Universal compatibility' },
    { format: 'webp', reason: 'Wide support, still small' },
  ],
  gif: [
    { format: 'png', reason: 'Lossless with full colour and transparency' },
    { format: 'webp', reason: 'Smaller, keeps transparency' },
  ],
  bmp: [
    { format: 'png', reason: 'Lossless and far smaller' },
    { format: 'jpeg', reason: 'Smallest for photos' },
  ],
  tiff: [
    { format: 'jpeg', reason: 'Universal compatibility for sharing' },
    { format: 'png', reason: 'Lossless, smaller than TIFF' },
  ],
};

/** Recommendations for a source format (any case, `tif` = `tiff`); unknown formats get none. */
export function formatRecommendations(sourceFormat: string): readonly FormatRecommendation[] {
  const key = sourceFormat.trim().toLowerCase().replace(/^\./, '');
  return RECOMMENDATIONS[key === 'tif' ? 'tiff' : key] ?? [];
}
