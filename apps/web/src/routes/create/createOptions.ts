/** Create Studio's choices as data. Style names match the server's STYLE_PRESETS (create/style-presets.ts). */
export const STYLES = [
  { value: 'photographic', label: 'Photographic' },
  { value: 'digital-art', label: 'Digital art' },
  { value: 'cinematic', label: 'Cinematic' },
  { value: '3d-model', label: '3D model' },
  { value: 'anime', label: 'Anime' },
  { value: 'line-art', label: 'Line art' },
  { value: 'analog-film', label: 'Analog film' },
  { value: 'comic-book', label: 'Comic book' },
  { value: 'fantasy-art', label: 'Fantasy art' },
  { value: 'isometric', label: 'Isometric' },
  { value: 'low-poly', label: 'Low poly' },
  { value: 'neon-punk', label: 'Neon punk' },
  { value: 'origami', label: 'Origami' },
  { value: 'pixel-art', label: 'Pixel art' },
] as const;

export const QUALITIES = [
  { value: 'draft', label: 'Draft', description: 'Fast generation, lower cost' },
  { value: 'standard', label: 'Standard', description: 'Balanced quality and speed' },
  { value: 'premium', label: 'Premium', description: 'Highest quality, best results' },
] as const;
export type Quality = (typeof QUALITIES)[number]['value'];

export const PLATFORM_LABELS: Record<string, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  twitter: 'X / Twitter',
  linkedin: 'LinkedIn',
  youtube: 'YouTube',
  pinterest: 'Pinterest',
  tiktok: 'TikTok',
  blog: 'Blog',
  email: 'Email',
  website: 'Website',
};
