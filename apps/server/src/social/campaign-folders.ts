/** Longest folder name kept from a source's file name or title. */
const MAX_FOLDER = 60;

/**
 * A folder per campaign source, named from its file name or title: ASCII letters, digits, `-` and
 * `_` only (no path separators, dots or control characters reach the ZIP), never empty, and unique
 * within the campaign (`name`, `name-2`, …; case-insensitively, for file systems that ignore case).
 */
export function folderNames(names: readonly (string | null | undefined)[]): string[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    const base = safeName(raw ?? '') || `source-${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

function safeName(raw: string): string {
  return raw
    .replace(/\.[a-z0-9]{2,5}$/i, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, MAX_FOLDER)
    .replace(/[-_]+$/, '');
}
