import { existsSync, readFileSync } from 'node:fs';

/** A font face the local renderer can use; the first existing file of `files` is loaded. */
export interface FontFace {
  family: string;
  weight: 400 | 700 | 800 | 900;
  files: readonly string[];
}

const ROOT = '/usr/share/fonts';

/** Installed Debian font files, by family. DejaVu is last: it covers the most scripts and is the fallback. */
export const FONT_FACES: readonly FontFace[] = [
  {
    family: 'Inter',
    weight: 800,
    files: [`${ROOT}/opentype/inter/Inter-ExtraBold.otf`, `${ROOT}/opentype/inter/Inter-Bold.otf`],
  },
  { family: 'Inter', weight: 400, files: [`${ROOT}/opentype/inter/Inter-Regular.otf`] },
  { family: 'Roboto', weight: 700, files: [`${ROOT}/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf`] },
  { family: 'Roboto', weight: 400, files: [`${ROOT}/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf`] },
  { family: 'Lato', weight: 900, files: [`${ROOT}/truetype/lato/Lato-Black.ttf`] },
  { family: 'Lato', weight: 400, files: [`${ROOT}/truetype/lato/Lato-Regular.ttf`] },
  { family: 'Open Sans', weight: 800, files: [`${ROOT}/truetype/open-sans/OpenSans-ExtraBold.ttf`] },
  { family: 'Open Sans', weight: 400, files: [`${ROOT}/truetype/open-sans/OpenSans-Regular.ttf`] },
  { family: 'Noto Serif', weight: 700, files: [`${ROOT}/truetype/noto/NotoSerif-Bold.ttf`] },
  { family: 'Noto Serif', weight: 400, files: [`${ROOT}/truetype/noto/NotoSerif-Regular.ttf`] },
  { family: 'Liberation Sans', weight: 700, files: [`${ROOT}/truetype/liberation/LiberationSans-Bold.ttf`] },
  { family: 'DejaVu Sans', weight: 700, files: [`${ROOT}/truetype/dejavu/DejaVuSans-Bold.ttf`] },
  { family: 'DejaVu Sans', weight: 400, files: [`${ROOT}/truetype/dejavu/DejaVuSans.ttf`] },
];

export interface LoadedFont {
  name: string;
  data: Buffer;
  weight: FontFace['weight'];
  style: 'normal';
}

let cache: LoadedFont[] | undefined;

/** Loads every available face once from disk (no network). Throws if not even one font exists. */
export function loadFonts(): LoadedFont[] {
  if (cache) return cache;
  const loaded: LoadedFont[] = [];
  for (const face of FONT_FACES) {
    const file = face.files.find((f) => existsSync(f));
    if (file)
      loaded.push({ name: face.family, data: readFileSync(file), weight: face.weight, style: 'normal' });
  }
  if (!loaded.length) throw new Error(`no fonts found under ${ROOT}; install fonts-dejavu-core`);
  cache = loaded;
  return loaded;
}

/** The family to use: the wanted one when installed, otherwise the first available. */
export function familyOrFallback(fonts: readonly LoadedFont[], wanted: string): string {
  return fonts.some((f) => f.name === wanted) ? wanted : fonts[0]!.name;
}

const FALLBACK_FAMILY = 'DejaVu Sans';

/**
 * The faces one layout needs: its family plus DejaVu Sans for glyphs the family lacks. Handing satori
 * only these keeps the first render fast (every face given is parsed).
 */
export function fontsFor(fonts: readonly LoadedFont[], family: string): LoadedFont[] {
  return fonts.filter((f) => f.name === family || f.name === FALLBACK_FAMILY);
}
