import { CLOUD_PROVIDERS, EDIT_OPERATIONS } from '@studio/contracts';

/**
 * The provider interface. A provider declares what it can do as data (its catalogue: operations →
 * models → limits and prices) and runs one typed request at a time. Services never branch on a
 * provider's name; they ask the catalogue and the registry.
 */

export { CLOUD_PROVIDERS };
export type CloudProviderId = (typeof CLOUD_PROVIDERS)[number];
export type ProviderId = CloudProviderId | 'local';

/** The edit operations are the API's (packages/contracts/src/edit.ts); providers declare which they do. */
export const EDIT_OPS = EDIT_OPERATIONS;
export const UPSCALE_MODES = ['fast', 'conservative', 'creative'] as const;
export const CONTROL_OPS = ['sketch', 'structure', 'style', 'style_transfer'] as const;

export type EditOp = (typeof EDIT_OPS)[number];
export type UpscaleMode = (typeof UPSCALE_MODES)[number];
export type ControlOp = (typeof CONTROL_OPS)[number];
export type Operation = 'create' | `edit.${EditOp}` | `upscale.${UpscaleMode}` | `control.${ControlOp}`;

export const OPERATIONS: readonly Operation[] = [
  'create',
  ...EDIT_OPS.map((op) => `edit.${op}` as const),
  ...UPSCALE_MODES.map((m) => `upscale.${m}` as const),
  ...CONTROL_OPS.map((op) => `control.${op}` as const),
];

export const isOperation = (value: string): value is Operation =>
  (OPERATIONS as readonly string[]).includes(value);

export type Quality = 'draft' | 'standard' | 'premium';
export type OutputFormat = 'png' | 'jpeg' | 'webp';

export interface Size {
  width: number;
  height: number;
}

/** How a model decides its output size. */
export type Sizing =
  /** A fixed set of aspect ratios, each with the pixel size the model produces at scale 1. */
  | {
      kind: 'aspect_ratio';
      ratios: Readonly<Record<string, Size>>;
      /** Optional size tiers (e.g. Gemini `1K`/`2K`/`4K`) multiplying the scale-1 sizes. */
      scales?: Readonly<Record<string, number>>;
    }
  /** Any width × height within bounds, rounded to a multiple. */
  | { kind: 'free'; minSide: number; maxSide: number; multipleOf: number; maxPixels?: number }
  /** Output follows the input image (edits, upscales); `factor` when it scales it. */
  | { kind: 'input'; factor?: number; maxOutputPixels?: number };

/** Rules the provider enforces on an input image. */
export interface InputLimits {
  minSide?: number;
  maxSide?: number;
  minPixels?: number;
  maxPixels?: number;
  /** Allowed width/height ratio range, e.g. 1:2.5 → 0.4 … 2.5. */
  minAspect?: number;
  maxAspect?: number;
}

export interface ModelPrice {
  /** Credits per output image (1 credit = US$0.01). */
  credits: number;
  /** Price per size tier when the provider bills by output size. */
  bySizeTier?: Readonly<Record<string, number>>;
  /** Where the number comes from, with its confidence tag from providers.md. */
  source: string;
}

export interface ModelSpec {
  id: string;
  label: string;
  operations: readonly Operation[];
  tier: Quality;
  sizing: Sizing;
  input?: InputLimits;
  promptMaxLength?: number;
  /** Optional request features the model accepts; others are dropped, not sent. */
  supports: {
    negativePrompt?: boolean;
    seed?: boolean;
    stylePreset?: boolean;
    guidance?: boolean;
    steps?: boolean;
    mask?: boolean;
    referenceImages?: number;
    /** Create from a reference image (`image`) with a `strength`, i.e. image-to-image. */
    imageToImage?: boolean;
  };
  price: ModelPrice;
  /** Extra note for the UI (deprecations, async behaviour). */
  note?: string;
}

export interface ProviderCatalogue {
  provider: ProviderId;
  label: string;
  /** Date the data was checked against the provider's documentation (providers.md research date). */
  verified: string;
  /** `layout` marks the local renderer's designs, which are not AI images. */
  kind: 'ai' | 'layout';
  /** Calls in flight at once from this process (`gateway.ts`), across all users. */
  concurrency: number;
  models: readonly ModelSpec[];
}

export interface ProviderRequest {
  operation: Operation;
  model: string;
  prompt?: string;
  negativePrompt?: string;
  /** The size the caller wants in the end; providers generate at the nearest supported size. */
  width?: number;
  height?: number;
  aspectRatio?: string;
  seed?: number;
  stylePreset?: string;
  guidance?: number;
  steps?: number;
  outputFormat?: OutputFormat;
  image?: Buffer;
  mask?: Buffer;
  /** Style reference, background reference or style-transfer style image. */
  referenceImage?: Buffer;
  lightReference?: Buffer;
  searchPrompt?: string;
  selectPrompt?: string;
  backgroundPrompt?: string;
  foregroundPrompt?: string;
  lightDirection?: 'left' | 'right' | 'above' | 'below';
  lightStrength?: number;
  preserveSubject?: number;
  keepOriginalBackground?: boolean;
  expand?: { left?: number; right?: number; up?: number; down?: number };
  creativity?: number;
  growMask?: number;
  controlStrength?: number;
  fidelity?: number;
  styleStrength?: number;
  compositionFidelity?: number;
  changeStrength?: number;
  /** Image-to-image: how far the result may move from `image` (0 keeps it, 1 ignores it). */
  strength?: number;
  /** Brand colours (#rrggbb) and a headline for the local layout renderer. */
  brandColors?: string[];
  headline?: string;
  signal?: AbortSignal;
}

export interface ProviderResult {
  provider: ProviderId;
  model: string;
  image: Buffer;
  mime: string;
  width: number;
  height: number;
  seed?: number;
  requestId?: string;
  costCredits: number;
  /** The provider flagged the output (e.g. Stability CONTENT_FILTERED returns a blurred image). */
  moderated: boolean;
  kind: 'ai' | 'layout';
}

export interface ProviderAuth {
  apiKey: string;
}

export interface ImageProvider {
  readonly id: ProviderId;
  readonly catalogue: ProviderCatalogue;
  run(request: ProviderRequest, auth: ProviderAuth): Promise<ProviderResult>;
  /** A cheap authenticated call proving the key works; throws the mapped AppError otherwise. */
  testConnection?(auth: ProviderAuth): Promise<void>;
  /** Circuit state of the provider's HTTP client; absent for providers without one (local). */
  health?(): ProviderHealth;
}

export interface ProviderHealth {
  state: 'closed' | 'open' | 'half_open';
  retryInMs: number;
}
