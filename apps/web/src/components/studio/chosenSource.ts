import { type Asset, assetUrls } from '../../api/endpoints.ts';
import type { ImageUpload } from '../../api/studio.ts';

/** The picked source as the screen shows it; a file's size is known once its preview has loaded. */
export interface ChosenSource {
  source: ImageUpload;
  /** Preview URL: an object URL of the file, or the asset's large thumbnail. */
  url: string;
  name: string;
  width: number | null;
  height: number | null;
}

export function fromFile(file: File): ChosenSource {
  return {
    source: { kind: 'file', file },
    url: URL.createObjectURL(file),
    name: file.name,
    width: null,
    height: null,
  };
}

export function fromAsset(asset: Asset): ChosenSource {
  return {
    source: { kind: 'asset', assetId: asset.id },
    url: assetUrls.thumbnail(asset.id, 'large'),
    name: asset.title ?? asset.prompt ?? `Asset ${asset.id}`,
    width: asset.width,
    height: asset.height,
  };
}

/** Object URLs hold the file in memory until revoked. */
export function release(chosen: ChosenSource | null): void {
  if (chosen?.source.kind === 'file') {
    URL.revokeObjectURL(chosen.url);
  }
}
