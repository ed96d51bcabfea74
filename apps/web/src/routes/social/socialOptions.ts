/** Choices of the Social Optimizer's options panel, with the defaults a new visit starts from. */

export type CropMode = 'smart' | 'center' | 'fit';
export type FitBackground = 'blur' | 'color' | 'extend';
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export const CROP_MODES: ReadonlyArray<{ value: CropMode; label: string; description: string }> = [
  {
    value: 'smart',
    label: 'Smart',
    description: 'Keeps faces and the most striking subject in frame (or your focal point).',
  },
  { value: 'center', label: 'Center', description: 'Crops evenly around the middle of the image.' },
  {
    value: 'fit',
    label: 'Fit',
    description: 'Keeps the whole image and pads the rest of the frame with a background.',
  },
];

export const FIT_BACKGROUNDS: ReadonlyArray<{ value: FitBackground; label: string }> = [
  { value: 'blur', label: 'Blurred image' },
  { value: 'color', label: 'Colour' },
  { value: 'extend', label: 'Extend edges' },
];

/** Lossless PNG has no quality setting; the others start from the server's own defaults. */
export const OUTPUT_FORMATS: ReadonlyArray<{ value: OutputFormat; label: string; quality: number | null }> = [
  { value: 'jpeg', label: 'JPEG', quality: 85 },
  { value: 'png', label: 'PNG', quality: null },
  { value: 'webp', label: 'WebP', quality: 82 },
  { value: 'avif', label: 'AVIF', quality: 60 },
];

/**
 * Format ids picked on a first visit: the posts a social media manager needs most often. Ids not in
 * the server's catalogue are ignored, so sizes always come from the catalogue.
 */
export const DEFAULT_FORMAT_IDS: readonly string[] = [
  'instagram.feed_square',
  'instagram.story',
  'linkedin.feed',
];

export interface SocialSettings {
  cropMode: CropMode;
  fitBackground: FitBackground;
  backgroundColor: string;
  outputFormat: OutputFormat;
  quality: number;
  showSafeZones: boolean;
}

export const DEFAULT_SETTINGS: SocialSettings = {
  cropMode: 'smart',
  fitBackground: 'blur',
  backgroundColor: '#ffffff',
  outputFormat: 'jpeg',
  quality: 85,
  showSafeZones: true,
};
