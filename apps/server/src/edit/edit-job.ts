import type { EditOp, OutputFormat, ProviderId } from '../providers/types.ts';

/** Everything the `edit` job needs; images are asset ids (stored before the job), never bytes. */
export interface EditJobInput {
  operation: EditOp;
  route: 'local' | 'cloud';
  inputAssetId: number;
  maskAssetId?: number;
  backgroundAssetId?: number;
  lightingAssetId?: number;
  prompt?: string;
  negativePrompt?: string;
  searchPrompt?: string;
  selectPrompt?: string;
  expand: { left: number; right: number; up: number; down: number };
  provider?: ProviderId | 'auto';
  model?: string;
  stylePreset?: string;
  guidance?: number;
  steps?: number;
  seed?: number;
  outputFormat: OutputFormat;
  growMask?: number;
  feather?: number;
  backgroundColor?: string;
  blurRadius?: number;
}
