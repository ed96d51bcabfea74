import type { ModelSpec, ProviderCatalogue, Size } from '../types.ts';

/**
 * Google Gemini API. Gemini image models (generateContent) are the main path; Imagen (:predict) is
 * deprecated with a 2026 shutdown and only offered when GEMINI_IMAGEN_ENABLED is set (providers.md §4.1).
 * Gemini image prices are token-based, converted to per-image credits [O]/[U].
 */
const GEMINI_1K: Record<string, Size> = {
  '1:1': { width: 1024, height: 1024 },
  '2:3': { width: 832, height: 1248 },
  '3:2': { width: 1248, height: 832 },
  '3:4': { width: 864, height: 1184 },
  '4:3': { width: 1184, height: 864 },
  '9:16': { width: 768, height: 1344 },
  '16:9': { width: 1344, height: 768 },
  '21:9': { width: 1536, height: 672 },
};
const IMAGEN_1K: Record<string, Size> = {
  '1:1': { width: 1024, height: 1024 },
  '3:4': { width: 896, height: 1280 },
  '4:3': { width: 1280, height: 896 },
  '9:16': { width: 768, height: 1408 },
  '16:9': { width: 1408, height: 768 },
};
const FULL_SCALES = { '1K': 1, '2K': 2, '4K': 4 } as const;

const geminiModel = (
  id: string,
  label: string,
  tier: ModelSpec['tier'],
  scales: Record<string, number>,
  bySizeTier: Record<string, number>,
  source: string,
): ModelSpec => ({
  id,
  label,
  operations: ['create', 'edit.general_edit'],
  tier,
  sizing: { kind: 'aspect_ratio', ratios: GEMINI_1K, scales },
  input: { minSide: 1 },
  supports: { referenceImages: 3 },
  price: { credits: bySizeTier['1K']!, bySizeTier, source },
});

const imagenModel = (
  id: string,
  label: string,
  tier: ModelSpec['tier'],
  credits: number,
  twoK: boolean,
): ModelSpec => ({
  id,
  label,
  operations: ['create'],
  tier,
  sizing: { kind: 'aspect_ratio', ratios: IMAGEN_1K, scales: twoK ? { '1K': 1, '2K': 2 } : { '1K': 1 } },
  promptMaxLength: 1920,
  supports: {},
  price: { credits, source: 'ai.google.dev pricing 2025, recalled [U]' },
  note: 'Imagen is deprecated on the Gemini API and shuts down in 2026.',
});

export const IMAGEN_MODEL_PREFIX = 'imagen-';

export const geminiModels: readonly ModelSpec[] = [
  geminiModel(
    'gemini-2.5-flash-image',
    'Gemini 2.5 Flash Image',
    'draft',
    { '1K': 1 },
    { '1K': 3.9 },
    'puter cost map [O]',
  ),
  geminiModel(
    'gemini-3.1-flash-image',
    'Gemini 3.1 Flash Image',
    'standard',
    FULL_SCALES,
    { '1K': 6.7, '2K': 6.7, '4K': 12 },
    'puter cost map at 1K [O]; 2K/4K scaled like 3 Pro [U]',
  ),
  geminiModel(
    'gemini-3-pro-image',
    'Gemini 3 Pro Image',
    'premium',
    FULL_SCALES,
    { '1K': 13.4, '2K': 13.4, '4K': 24 },
    'puter cost map [O]/[U]',
  ),
  imagenModel('imagen-4.0-fast-generate-001', 'Imagen 4 Fast', 'draft', 2, false),
  imagenModel('imagen-4.0-generate-001', 'Imagen 4', 'standard', 4, true),
  imagenModel('imagen-4.0-ultra-generate-001', 'Imagen 4 Ultra', 'premium', 6, true),
  imagenModel('imagen-3.0-generate-002', 'Imagen 3', 'standard', 3, false),
];

export const geminiCatalogue = (imagenEnabled: boolean): ProviderCatalogue => ({
  provider: 'gemini',
  label: 'Google Gemini',
  verified: '2026-11-01',
  kind: 'ai',
  concurrency: 4,
  models: geminiModels.filter((m) => imagenEnabled || !m.id.startsWith(IMAGEN_MODEL_PREFIX)),
});
