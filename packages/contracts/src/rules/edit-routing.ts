/**
 * Which edit operations run on this server (offline, no key, 0 credits) and which need a cloud
 * provider. The server routes by it and the web shows the route and price by it, so they agree.
 * Pure: no zod, no I/O, so the browser imports it alone.
 */
import type { EditOperation } from '../edit.ts';

export type EditRoute = 'local' | 'cloud';

export interface EditRouteRequest {
  /** The provider asked for: a cloud provider's id, `local`, `auto` or none. */
  provider?: string | null;
  prompt?: string | null;
  /** Whether a mask comes with the request. */
  hasMask: boolean;
  selectPrompt?: string | null;
}

/** Operations with a local implementation, and when it runs without a provider being named. */
const LOCAL: Partial<
  Record<EditOperation, (r: { prompt: boolean; mask: boolean; select: boolean }) => boolean>
> = {
  remove_background: () => true,
  erase: () => true,
  replace_background: () => true,
  // Without a prompt: content-aware fill (of the mask, or of the extended canvas).
  inpaint: (r) => !r.prompt,
  outpaint: (r) => !r.prompt,
  // A painted mask and a colour; naming the object (select_prompt) needs the cloud's segmentation.
  search_recolor: (r) => r.mask && !r.select,
};

/** Whether the operation can run on this server at all (so `provider: 'local'` is accepted). */
export const hasLocalEdit = (op: EditOperation): boolean => LOCAL[op] !== undefined;

const present = (text: string | null | undefined) => Boolean(text?.trim());

/**
 * Where a request runs: `local` when a local implementation serves it (or `provider: 'local'` asks
 * for it), else `cloud`. A named cloud provider always goes to the cloud.
 */
export function editRoute(op: EditOperation, r: EditRouteRequest): EditRoute {
  const runsLocally = LOCAL[op];
  if (!runsLocally) {
    return 'cloud';
  }
  if (r.provider === 'local') {
    return 'local';
  }
  if (r.provider && r.provider !== 'auto') {
    return 'cloud';
  }
  return runsLocally({ prompt: present(r.prompt), mask: r.hasMask, select: present(r.selectPrompt) })
    ? 'local'
    : 'cloud';
}
