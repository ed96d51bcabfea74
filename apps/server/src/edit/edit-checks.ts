import type { EditImageRequest } from '@studio/contracts';
import { editRoute, hasLocalEdit, servesLocally } from '@studio/contracts/rules';
import { badRequest, validationFailed } from '../errors.ts';
import { parseColor } from '../imaging/local/recolor.ts';
import type { EditOp, ProviderId } from '../providers/types.ts';
import { given, type ImageInput, requireText } from '../studio/studio-io.ts';
import { EDIT_OPERATIONS } from './operations.ts';

const MASK_OPS: ReadonlySet<EditOp> = new Set(['inpaint', 'erase', 'search_recolor', 'search_replace']);

/** An edit's input images, from the JSON body (base64, asset ids) or multipart file parts (bytes). */
export interface EditInputs {
  image: ImageInput;
  mask: ImageInput;
  background: ImageInput;
  lighting: ImageInput;
}

/** Multipart file parts by the image they are, as the route found them. */
export type EditUploads = Partial<Record<keyof EditInputs, Buffer>>;

export function editInputs(req: EditImageRequest, uploads: EditUploads = {}): EditInputs {
  return {
    image: { base64: req.image_base64, assetId: req.asset_id, bytes: uploads.image },
    mask: { base64: req.mask_base64, assetId: req.mask_asset_id, bytes: uploads.mask },
    background: { base64: req.background_image_base64, bytes: uploads.background },
    lighting: { base64: req.lighting_image_base64, bytes: uploads.lighting },
  };
}

export interface EditChoice {
  op: EditOp;
  prompt: string | undefined;
  provider: ProviderId | 'auto' | undefined;
  expand: { left: number; right: number; up: number; down: number };
}

/**
 * Everything about an edit request that needs no pixels: which fields and images go with the
 * operation, and where it runs. Throws 400/422 naming the field; answers local or cloud.
 */
export function checkEditRequest(
  req: EditImageRequest,
  inputs: EditInputs,
  choice: EditChoice,
): 'local' | 'cloud' {
  const { op, prompt, provider, expand } = choice;
  const spec = EDIT_OPERATIONS[op];
  const light = req.options ?? {};
  const hasMask = given(inputs.mask);
  if (hasMask && !MASK_OPS.has(op)) {
    throw validationFailed(`${op} does not take a mask; masks are for ${[...MASK_OPS].join(', ')}.`);
  }
  if (!hasMask && (op === 'erase' || op === 'inpaint')) {
    throw validationFailed(
      `${op} needs a mask (mask_base64 or mask_asset_id): white marks the area to edit.`,
    );
  }
  if (op === 'outpaint' && expand.left + expand.right + expand.up + expand.down === 0) {
    throw validationFailed(
      'outpaint needs at least one of expand_left, expand_right, expand_up, expand_down above 0.',
    );
  }
  if ((given(inputs.background) || given(inputs.lighting)) && !spec.fields.includes('background')) {
    throw validationFailed(`${op} does not take background or lighting images.`);
  }
  if (given(inputs.lighting) && op !== 'relight') {
    throw validationFailed('lighting_image_base64 is for relight only.');
  }
  if (
    op !== 'relight' &&
    (light.light_direction || light.light_strength !== undefined || light.preserve_subject !== undefined)
  ) {
    throw validationFailed(
      'options.light_direction, light_strength and preserve_subject are for relight only.',
    );
  }
  if (light.light_strength !== undefined && !light.light_direction && !given(inputs.lighting)) {
    throw validationFailed('options.light_strength needs options.light_direction or lighting_image_base64.');
  }

  if (provider === 'local' && !hasLocalEdit(op)) {
    throw validationFailed(`${op} needs a cloud provider; it has no local implementation.`);
  }
  if (provider === 'local' && !servesLocally(op, { hasMask })) {
    throw validationFailed(`${op} on this server needs a mask (mask_base64 or mask_asset_id).`);
  }
  const route = editRoute(op, { provider, prompt, hasMask, selectPrompt: req.select_prompt ?? undefined });
  if (
    route === 'local' &&
    provider &&
    provider !== 'auto' &&
    provider !== 'local' &&
    op !== 'replace_background'
  ) {
    throw validationFailed(`${op} with provider ${provider} is not possible here.`);
  }
  switch (op) {
    case 'search_replace':
      requireText(prompt, 'search_replace needs a prompt (what to put in).');
      requireText(req.search_prompt, 'search_replace needs search_prompt (what to replace).');
      break;
    case 'search_recolor':
      requireText(prompt, 'search_recolor needs a prompt: the colour to apply.');
      if (route === 'local') parseColor(prompt ?? '');
      else requireText(req.select_prompt, 'search_recolor needs select_prompt (what to recolor) or a mask.');
      break;
    case 'general_edit':
      requireText(prompt, 'general_edit needs a prompt describing the edit.');
      break;
    case 'relight':
      if (!prompt && !given(inputs.background)) {
        throw badRequest('relight needs a prompt (the new background) or background_image_base64.');
      }
      break;
    case 'replace_background':
      if (req.options?.background_color) parseColor(req.options.background_color);
      break;
    default:
      break;
  }
  return route;
}

/**
 * Whether a request routed to the cloud can run locally instead when no cloud provider is
 * available to the user: the local implementation serves it (leaving out the prompt-driven parts,
 * which the result then says) and what it does use is valid (a recolour's colour).
 */
export function runsLocallyWithoutCloud(
  req: EditImageRequest,
  choice: EditChoice,
  hasMask: boolean,
): boolean {
  const { op, prompt, provider } = choice;
  const route = editRoute(op, {
    provider,
    prompt,
    hasMask,
    selectPrompt: req.select_prompt ?? undefined,
    cloudAvailable: false,
  });
  if (route !== 'local') return false;
  if (op !== 'search_recolor') return true;
  try {
    parseColor(prompt ?? '');
    return true;
  } catch {
    return false;
  }
}
