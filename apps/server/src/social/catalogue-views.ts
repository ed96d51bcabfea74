import { AppError } from '../errors.ts';
import { CATALOGUE_VERSION, PLATFORM_IDS, type PlatformFormat, type PlatformSpec } from './platforms.ts';

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10}MB`;
const upper = (types: readonly string[]) => types.map((t) => (t === 'jpeg' ? 'JPG' : t.toUpperCase()));

/** A format as `GET /social/platforms/{platform}/formats` lists it (the seed's fields first). */
export function formatView(f: PlatformFormat) {
  return {
    id: f.id,
    name: f.name,
    width: f.width,
    height: f.height,
    ratio: f.ratio,
    safe_zone: f.safeZone,
    file_type: upper(f.fileTypes)[0] ?? 'JPG',
    file_types: upper(f.fileTypes),
    max_size_mb: Math.round((f.maxBytes / 1024 / 1024) * 100) / 100,
    max_size_bytes: f.maxBytes,
    ...(f.maxEdge ? { max_edge: f.maxEdge } : {}),
    ...(f.minWidth ? { min_width: f.minWidth } : {}),
    safe_areas: [...f.safeAreas],
    seed: f.seed,
    source: f.source,
    verified: f.verified,
    ...(f.note ? { note: f.note } : {}),
  };
}

export const unknownPlatform = (platform: string) =>
  new AppError(
    404,
    'unknown_platform',
    `Unknown platform "${platform}". Known: ${PLATFORM_IDS.join(', ')}.`,
    {
      known_platforms: PLATFORM_IDS,
    },
  );

/** The original's `GET /platform-specs/{platform}`, from the same catalogue. */
export function specView(p: PlatformSpec) {
  return {
    platform: p.displayName,
    id: p.id,
    file_types: upper(p.fileTypes),
    max_file_size: mb(p.maxBytes),
    max_file_size_bytes: p.maxBytes,
    source: p.source,
    verified: p.verified,
    catalogue_version: CATALOGUE_VERSION,
    formats: p.formats.map((f) => ({
      name: f.name,
      size: `${f.width}x${f.height}`,
      width: f.width,
      height: f.height,
      ratio: f.ratio,
      max_file_size: mb(f.maxBytes),
      file_types: upper(f.fileTypes),
    })),
  };
}
