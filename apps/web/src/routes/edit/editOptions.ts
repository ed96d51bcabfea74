import type { EditOperation, EditOperationInfo } from '../../api/edit.ts';

export interface OperationGuide {
  /** One line for the picker, in the user's words rather than the API's field names. */
  blurb: string;
  /** Whether the user paints a mask: required, or not offered. */
  mask: boolean;
  prompt?: { label: string; placeholder: string; required: boolean; cloudOnly?: boolean };
  searchPrompt?: boolean;
  recolor?: boolean;
  outpaint?: boolean;
  backdrop?: boolean;
  /** Grow and feather of the painted mask. */
  maskOptions?: boolean;
  /** Background image, light direction and strength, preserve subject. */
  relight?: boolean;
  /** Cloud runs of the operation send a negative prompt / a style preset (Stability's endpoint takes it). */
  negativePrompt?: boolean;
  stylePreset?: boolean;
}

/** The screen's order and wording of every operation; availability and price come from the server. */
export const GUIDES: Readonly<Record<EditOperation, OperationGuide>> = {
  erase: {
    blurb: 'Paint over an object; it is removed and filled in from its surroundings.',
    mask: true,
    maskOptions: true,
  },
  remove_background: {
    blurb: 'Cut out the subject and make the background transparent (PNG).',
    mask: false,
  },
  replace_background: {
    blurb: 'Cut out the subject and put it on a plain colour, an image or a blurred copy of the photo.',
    mask: false,
    backdrop: true,
  },
  inpaint: {
    blurb: 'Repaint the painted area: from its surroundings, or from a prompt with a cloud key.',
    mask: true,
    maskOptions: true,
    negativePrompt: true,
    stylePreset: true,
    prompt: {
      label: 'Prompt (optional)',
      placeholder: 'Leave empty to fill from the surroundings on this server',
      required: false,
      cloudOnly: true,
    },
  },
  outpaint: {
    blurb: 'Make the canvas larger on any side and fill the new area.',
    mask: false,
    outpaint: true,
    prompt: {
      label: 'Prompt (optional)',
      placeholder: 'Leave empty to continue the edges on this server',
      required: false,
      cloudOnly: true,
    },
  },
  search_recolor: {
    blurb: 'Paint over an area, or name an object (cloud), and give it a new colour, keeping its shading.',
    mask: true,
    recolor: true,
    maskOptions: true,
    negativePrompt: true,
  },
  search_replace: {
    blurb: 'Name something in the image and describe what should replace it.',
    mask: false,
    searchPrompt: true,
    negativePrompt: true,
    prompt: { label: 'Replace it with', placeholder: 'a red vintage bicycle', required: true },
  },
  general_edit: {
    blurb: 'Describe a change to the whole image in words.',
    mask: false,
    prompt: { label: 'Edit instruction', placeholder: 'make it a snowy winter evening', required: true },
  },
  relight: {
    blurb: 'A new background, described or from an image; the subject is relit to match.',
    mask: false,
    relight: true,
    negativePrompt: true,
    prompt: {
      label: 'New background',
      placeholder: 'a sunlit beach at golden hour (or choose an image below)',
      required: false,
    },
  },
};

export const OPERATION_ORDER = Object.keys(GUIDES) as EditOperation[];

export interface Extents {
  left: number;
  right: number;
  up: number;
  down: number;
}

export const NO_EXTENTS: Extents = { left: 0, right: 0, up: 0, down: 0 };

const orList = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;

/** "Needs a Stability key" from the providers the server says have no key for this user. */
export function keyNeed(info: EditOperationInfo, label: (provider: string) => string): string | null {
  const cloud = info.providers.filter((p) => p.provider !== 'local');
  if (cloud.length === 0 || cloud.some((p) => p.available)) {
    return null;
  }
  const keyless = [
    ...new Set(cloud.filter((p) => /key/i.test(p.reason ?? '')).map((p) => label(p.provider))),
  ];
  return keyless.length > 0 ? `Needs a ${orList(keyless)} key` : (cloud[0]?.reason ?? 'Unavailable');
}

/** The price of a run along the given route: 0 locally, else the cheapest usable cloud provider. */
export function priceOf(info: EditOperationInfo, route: 'local' | 'cloud'): number {
  if (route === 'local') {
    return 0;
  }
  const cloud = info.providers.filter((p) => p.provider !== 'local');
  const usable = cloud.filter((p) => p.available);
  const pool = usable.length > 0 ? usable : cloud;
  return pool.length > 0 ? Math.min(...pool.map((p) => p.price_credits)) : info.price_credits;
}
