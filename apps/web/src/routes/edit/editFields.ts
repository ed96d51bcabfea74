import { type EditNotice, type EditRoute, editRoute, localNotices } from '@studio/contracts/rules';
import type { EditFields, EditOperation } from '../../api/edit.ts';
import { type Extents, GUIDES, NO_EXTENTS } from './editOptions.ts';

export type LightDirection = 'left' | 'right' | 'above' | 'below';

/** Everything the settings card holds; `requestFields` turns it into the request for one operation. */
export interface FieldState {
  prompt: string;
  negativePrompt: string;
  stylePreset: string | null;
  searchPrompt: string;
  /** Recolour the painted area (on this server) or the object named in `selectPrompt` (cloud). */
  recolorBy: 'paint' | 'name';
  selectPrompt: string;
  color: string;
  extents: Extents;
  backdrop: 'color' | 'blur' | 'image';
  backgroundColor: string;
  /** A new background for replace background (as the backdrop) and relight. */
  backgroundImage: File | null;
  blur: number;
  grow: number;
  feather: number;
  lightDirection: LightDirection | null;
  lightStrength: number;
  preserveSubject: number;
}

/** Stability's documented defaults where it has them (light 0.3, preserve subject 0.6). */
export const DEFAULT_FIELDS: FieldState = {
  prompt: '',
  negativePrompt: '',
  stylePreset: null,
  searchPrompt: '',
  recolorBy: 'paint',
  selectPrompt: '',
  color: '#e03131',
  extents: NO_EXTENTS,
  backdrop: 'color',
  backgroundColor: '#ffffff',
  backgroundImage: null,
  blur: 24,
  grow: 4,
  feather: 0,
  lightDirection: null,
  lightStrength: 0.3,
  preserveSubject: 0.6,
};

/** Whether the user paints a mask for this run (recolouring a named object needs none). */
export const needsMask = (op: EditOperation, f: FieldState): boolean =>
  GUIDES[op].mask && !(GUIDES[op].recolor && f.recolorBy === 'name');

/** The text that decides where the run goes: the colour when recolouring what was painted. */
export const promptOf = (op: EditOperation, f: FieldState): string =>
  GUIDES[op].recolor && f.recolorBy === 'paint' ? f.color : f.prompt.trim();

/** The background image sent with the run, if the operation and the chosen backdrop take one. */
export function backgroundOf(op: EditOperation, f: FieldState): File | null {
  const guide = GUIDES[op];
  return guide.relight || (guide.backdrop && f.backdrop === 'image') ? f.backgroundImage : null;
}

/**
 * The request fields for the chosen operation (the image, mask and background image travel
 * separately). Cloud-only fields (negative prompt, style preset) go only on a cloud run, and only
 * what the operation takes is sent, so a field left on screen from another operation never leaks in.
 */
export function requestFields(op: EditOperation, f: FieldState, route: 'local' | 'cloud'): EditFields {
  const guide = GUIDES[op];
  const prompt = promptOf(op, f);
  const cloud = route === 'cloud';
  const negative = f.negativePrompt.trim();
  const options = {
    ...(guide.maskOptions && needsMask(op, f) ? { grow_mask: f.grow, feather: f.feather } : {}),
    ...(guide.backdrop && f.backdrop === 'color' ? { background_color: f.backgroundColor } : {}),
    ...(guide.backdrop && f.backdrop === 'blur' ? { blur_radius: f.blur } : {}),
    ...(guide.relight
      ? {
          preserve_subject: f.preserveSubject,
          ...(f.lightDirection ? { light_direction: f.lightDirection, light_strength: f.lightStrength } : {}),
        }
      : {}),
  };
  return {
    operation: op,
    ...((guide.prompt || guide.recolor) && prompt ? { prompt } : {}),
    ...(guide.searchPrompt ? { search_prompt: f.searchPrompt.trim() } : {}),
    ...(guide.recolor && f.recolorBy === 'name' ? { select_prompt: f.selectPrompt.trim() } : {}),
    ...(cloud && guide.negativePrompt && negative ? { negative_prompt: negative } : {}),
    ...(cloud && guide.stylePreset && f.stylePreset ? { style_preset: f.stylePreset } : {}),
    ...(guide.outpaint
      ? {
          expand_left: f.extents.left,
          expand_right: f.extents.right,
          expand_up: f.extents.up,
          expand_down: f.extents.down,
        }
      : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
  };
}

/** A run as the screen will start it: where it goes, what it sends, and what the server will not use. */
export interface RunPlan {
  route: EditRoute;
  fields: EditFields;
  /** Said before running; the result says the same (the server's notices come from the same rule). */
  leftOut: EditNotice[];
}

/**
 * Routes by the rule the server applies, from the prompts the run sends: with no cloud provider
 * usable for the operation, what this server can serve runs here and leaves the prompt out.
 */
export function planRun(op: EditOperation, f: FieldState, painted: boolean, cloudUsable: boolean): RunPlan {
  const sent = requestFields(op, f, 'local');
  const route = editRoute(op, {
    prompt: sent.prompt,
    selectPrompt: sent.select_prompt,
    hasMask: painted,
    cloudAvailable: cloudUsable,
  });
  return {
    route,
    fields: requestFields(op, f, route),
    leftOut:
      route === 'local' ? localNotices(op, { prompt: sent.prompt, selectPrompt: sent.select_prompt }) : [],
  };
}
