/**
 * Style presets as data: the words each adds to a prompt. Stability also receives the preset by
 * name (`style_preset`); every other provider gets only the words, so a preset works everywhere.
 */
export const STYLE_PRESETS = {
  photographic: 'professional photography, natural lighting, sharp focus, high detail',
  'digital-art': 'digital illustration, vibrant colours, clean shapes, high detail',
  cinematic: 'cinematic lighting, dramatic composition, film still, rich contrast',
  '3d-model': '3D render, soft global illumination, studio lighting, detailed materials',
  anime: 'anime style, cel shading, expressive, vibrant colours',
  'line-art': 'clean line art, precise linework, high contrast, minimal shading',
  'analog-film': 'analog film photograph, soft grain, warm tones',
  'comic-book': 'comic book art, bold ink outlines, halftone shading',
  'fantasy-art': 'fantasy art, painterly, atmospheric, epic scale',
  isometric: 'isometric illustration, clean geometry, soft shadows',
  'low-poly': 'low poly 3D art, faceted geometry, flat shading',
  'neon-punk': 'neon punk, glowing neon lights, dark moody background',
  origami: 'paper origami craft, folded paper texture, soft light',
  'pixel-art': 'pixel art, crisp pixels, limited palette',
} as const;

export type StylePresetName = keyof typeof STYLE_PRESETS;
export const STYLE_PRESET_NAMES = Object.keys(STYLE_PRESETS) as StylePresetName[];
export const isStylePreset = (v: string): v is StylePresetName => v in STYLE_PRESETS;
