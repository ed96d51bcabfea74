/**
 * The server's layers, highest first; a file may import its own layer and the ones below, never
 * one above. Read by check-imports.ts (`npm run check:imports`, part of `npm run lint`).
 */
export interface Layer {
  name: string;
  rank: number;
  /** Path prefixes (a folder ends with /) or exact files, from the repository root. */
  match: readonly RegExp[];
}

const server = (...paths: string[]) =>
  paths.map((p) => new RegExp(`^apps/server/src/${p.replaceAll('.', '\\.')}${p.endsWith('/') ? '' : '$'}`));

export const LAYERS: readonly Layer[] = [
  {
    name: 'entry points (main, worker, CLIs, app)',
    rank: 7,
    match: [
      ...server('main.ts', 'worker.ts', 'app.ts', 'crash-guard.ts'),
      /^apps\/server\/src\/.*\.cli\.ts$/,
    ],
  },
  { name: 'routes/http', rank: 6, match: server('routes/', 'http/') },
  /** The composition root: routes receive the context it builds; it builds the services below. */
  { name: 'context', rank: 5, match: server('context.ts', 'job-handlers.ts') },
  {
    name: 'services/studios',
    rank: 4,
    match: server(
      'studio/',
      'create/',
      'edit/',
      'upscale/',
      'control/',
      'social/',
      'auth/',
      'billing/',
      'personas/',
      'templates/',
      'sharing/',
      'understanding/',
      'backup/',
      'health/',
      'metrics/',
    ),
  },
  {
    name: 'providers/imaging/assets/jobs',
    rank: 3,
    match: server('providers/', 'imaging/', 'assets/', 'jobs/'),
  },
  { name: 'storage/db', rank: 2, match: server('storage/', 'db/') },
  { name: 'util', rank: 1, match: server('util/', 'errors.ts', 'config.ts', 'secret.ts') },
  { name: 'contracts', rank: 0, match: [/^packages\/contracts\/src\//] },
];

/** Libraries that touch pixels; only PIXEL_ROOT imports them (as only repositories do I/O). */
export const PIXEL_LIBRARIES: readonly string[] = ['sharp'];
export const PIXEL_ROOT = 'apps/server/src/imaging/';

/**
 * Violations known and owned by someone, each with why it is still here. Empty is the goal; the
 * check fails when one of these is fixed but still listed, so the list cannot go stale.
 */
export const KNOWN_EXCEPTIONS: readonly { rule: string; from: string; to: string; owner: string }[] = [];
