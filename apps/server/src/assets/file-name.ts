import type { AssetRow } from '../db/schema.ts';

/**
 * `sunset-over-the-sea-42.png`: the name an asset's file is downloaded under, alone or in a ZIP;
 * readable, ASCII-safe, unique through the id.
 */
export function assetFileName(row: Pick<AssetRow, 'id' | 'title' | 'format'>): string {
  const slug = (row.title ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const ext = row.format === 'jpeg' ? 'jpg' : row.format;
  return `${slug || 'asset'}-${row.id}.${ext}`;
}
