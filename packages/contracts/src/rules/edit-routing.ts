/**
 * Which edit operations run on this server (offline, no key, 0 credits) and which need a cloud
 * provider. The server routes by it and the web shows the route and price by it, so they agree.
 * Pure: no zod, no I/O, so the browser imports it alone.
 */
import type { EditNoticeCode, EditOperation } from '../edit.ts';

export type EditRoute = 'local' | 'cloud';

export interface EditRouteRequest {
  /** The provider asked for: a cloud provider's id, `local`, `auto` or none. */
  provider?: string | null;
  prompt?: string | null;
  /** Whether a mask comes with the request. */
  hasMask: boolean;
  selectPrompt?: string | null;
  /**
   * Whether any cloud provider can run the operation for this user now (default true). Without one,
   * a request the local implementation can serve runs locally, leaving out what it cannot use.
   */
  cloudAvailable?: boolean;
}

interface Flags {
  prompt: boolean;
  mask: boolean;
  select: boolean;
}

interface LocalEdit {
  /** When it runs locally although a cloud provider could (nothing asked of it needs the cloud). */
  preferred: (r: Flags) => boolean;
  /** When it can run locally at all, leaving out the prompt-driven parts (see `localNotices`). */
  serves: (r: Flags) => boolean;
}

const always = () => true;

/** Operations with a local implementation. */
const LOCAL: Partial<Record<EditOperation, LocalEdit>> = {
  remove_background: { preferred: always, serves: always },
  erase: { preferred: always, serves: always },
  replace_background: { preferred: always, serves: always },
  // Without a prompt: content-aware fill (of the mask, or of the extended canvas); with one, the fill
  // from the surroundings is what this server can do.
  inpaint: { preferred: (r) => !r.prompt, serves: (r) => r.mask },
  outpaint: { preferred: (r) => !r.prompt, serves: always },
  // A painted mask and a colour; naming the object (select_prompt) needs the cloud's segmentation,
  // so locally the mask alone says what to recolour.
  search_recolor: { preferred: (r) => r.mask && !r.select, serves: (r) => r.mask },
};

/** Whether the operation can run on this server at all (so `provider: 'local'` is accepted). */
export const hasLocalEdit = (op: EditOperation): boolean => LOCAL[op] !== undefined;

const present = (text: string | null | undefined) => Boolean(text?.trim());

const flagsOf = (r: EditRouteRequest): Flags => ({
  prompt: present(r.prompt),
  mask: r.hasMask,
  select: present(r.selectPrompt),
});

/** Whether this request can run on this server (what it asks that needs the cloud is then left out). */
export const servesLocally = (op: EditOperation, r: EditRouteRequest): boolean =>
  LOCAL[op]?.serves(flagsOf(r)) ?? false;

/**
 * Where a request runs: `local` when a local implementation serves it (or `provider: 'local'` asks
 * for it), else `cloud`. A named cloud provider always goes to the cloud. With no cloud provider
 * available (`cloudAvailable: false`), whatever the local implementation can serve runs locally.
 */
export function editRoute(op: EditOperation, r: EditRouteRequest): EditRoute {
  const local = LOCAL[op];
  if (!local) {
    return 'cloud';
  }
  if (r.provider === 'local') {
    return 'local';
  }
  if (r.provider && r.provider !== 'auto') {
    return 'cloud';
  }
  const flags = flagsOf(r);
  if (local.preferred(flags)) {
    return 'local';
  }
  return r.cloudAvailable === false && local.serves(flags) ? 'local' : 'cloud';
}

export interface EditNotice {
  code: EditNoticeCode;
  message: string;
}

/**
 * What a local run of this request does not use, said in the result: a prompt given to a fill, an
 * object named for a recolour (the painted mask says where instead).
 */
export function localNotices(
  op: EditOperation,
  r: { prompt?: string | null; selectPrompt?: string | null },
): EditNotice[] {
  if ((op === 'inpaint' || op === 'outpaint') && present(r.prompt)) {
    return [
      {
        code: 'prompt_ignored_local',
        message:
          op === 'inpaint'
            ? 'The prompt was not used: this server filled the painted area from its surroundings. A prompt needs a cloud provider key.'
            : 'The prompt was not used: this server continued the edges into the new area. A prompt needs a cloud provider key.',
      },
    ];
  }
  if (op === 'search_recolor' && present(r.selectPrompt)) {
    return [
      {
        code: 'select_prompt_ignored_local',
        message:
          'The object name (select_prompt) was not used: this server recoloured the painted mask. Finding an object by name needs a cloud provider key.',
      },
    ];
  }
  return [];
}
