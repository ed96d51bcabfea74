import { badRequest } from '../errors.ts';
import {
  ALL_FORMATS,
  findFormat,
  findPlatform,
  PLATFORM_IDS,
  PLATFORMS_WITHOUT_FORMATS,
  type PlatformFormat,
} from './platforms.ts';

export interface FormatSelection {
  /** Platform names as sent; lower-cased and matched like the seed. */
  platforms?: readonly string[];
  /** platform → one format name (the seed) or several. */
  formatNames?: Readonly<Record<string, string | readonly string[]>>;
  /** Every format of the listed platforms, or of all platforms when none are listed. */
  allFormats?: boolean;
}

export interface SelectedFormats {
  formats: PlatformFormat[];
  warnings: string[];
}

/**
 * Seed semantics with extensions: unknown platforms are skipped with a warning, none valid → 400;
 * an unknown format name falls back to the platform's first format (with a warning); a platform may
 * ask for several formats; `allFormats` takes every format. Duplicates are dropped, order kept.
 */
export function selectFormats(sel: FormatSelection): SelectedFormats {
  const warnings: string[] = [];
  const chosen: PlatformFormat[] = [];
  const add = (f: PlatformFormat) => {
    if (!chosen.includes(f)) chosen.push(f);
  };
  const names = sel.platforms ?? [];
  if (sel.allFormats && names.length === 0) return { formats: [...ALL_FORMATS], warnings };

  for (const raw of names) {
    const platform = findPlatform(raw);
    if (!platform) {
      const known = (PLATFORMS_WITHOUT_FORMATS as readonly string[]).includes(raw.trim().toLowerCase());
      warnings.push(
        known ? `"${raw}" has no social formats; skipped.` : `Unknown platform "${raw}"; skipped.`,
      );
      continue;
    }
    if (sel.allFormats) {
      platform.formats.forEach(add);
      continue;
    }
    const requested = sel.formatNames?.[raw] ?? sel.formatNames?.[platform.id];
    const list = requested === undefined ? [] : typeof requested === 'string' ? [requested] : requested;
    if (list.length === 0) {
      add(platform.formats[0]!);
      continue;
    }
    for (const name of list) {
      const f = findFormat(platform, name);
      if (f) add(f);
      else {
        warnings.push(
          `${platform.displayName} has no format "${name}"; used "${platform.formats[0]!.name}".`,
        );
        add(platform.formats[0]!);
      }
    }
  }
  if (chosen.length === 0) {
    throw badRequest('No valid platforms provided.', { known_platforms: PLATFORM_IDS, warnings });
  }
  return { formats: chosen, warnings };
}
