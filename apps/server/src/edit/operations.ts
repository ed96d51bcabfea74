import type { EditOp } from '../providers/types.ts';

export type EditField =
  | 'prompt'
  | 'mask'
  | 'negative_prompt'
  | 'search_prompt'
  | 'select_prompt'
  | 'background'
  | 'lighting'
  | 'expansion'
  | 'style_preset'
  | 'options';

export interface EditOperationSpec {
  label: string;
  description: string;
  /** The seed's static provider label, kept for its clients. */
  seedProvider: string;
  /** Started then polled at the provider. */
  async: boolean;
  fields: readonly EditField[];
  required: readonly string[];
  /** When the local implementation runs (no key needed); absent when only a cloud provider can. */
  local?: string;
  /** The local implementation's name, recorded as the result's model. */
  localModel?: string;
  /** What the cloud path needs, when it differs. */
  cloud?: string;
}

/** Every Edit Studio operation: its inputs, and how it runs locally or in the cloud. */
export const EDIT_OPERATIONS: Readonly<Record<EditOp, EditOperationSpec>> = {
  remove_background: {
    label: 'Remove Background',
    description: 'Cut out the subject; the background becomes transparent (PNG/WebP).',
    seedProvider: 'stability',
    async: false,
    fields: [],
    required: ['image'],
    local: 'always, unless provider=stability (ISNet on this server)',
    localModel: 'isnet',
  },
  inpaint: {
    label: 'Inpaint & Fix',
    description:
      'Repaint the masked area: from a prompt (cloud) or from its surroundings (no prompt, local).',
    seedProvider: 'stability',
    async: false,
    fields: ['prompt', 'mask', 'negative_prompt', 'style_preset', 'options'],
    required: ['image', 'mask'],
    local:
      'without a prompt (content-aware fill); with one when no cloud provider is available (the prompt is then not used)',
    localModel: 'content-aware-fill',
    cloud: 'with a prompt',
  },
  outpaint: {
    label: 'Outpaint',
    description: 'Extend the canvas by expand_left/right/up/down pixels.',
    seedProvider: 'stability',
    async: false,
    fields: ['prompt', 'negative_prompt', 'expansion', 'style_preset'],
    required: ['image', 'expansion'],
    local:
      'without a prompt (fill extended past the edges); with one when no cloud provider is available (the prompt is then not used)',
    localModel: 'content-aware-fill',
    cloud: 'with a prompt',
  },
  erase: {
    label: 'Erase Object',
    description: 'Remove the masked object and fill its place from the surroundings.',
    seedProvider: 'local',
    async: false,
    fields: ['mask', 'options'],
    required: ['image', 'mask'],
    local: 'always, unless provider=stability (content-aware fill)',
    localModel: 'content-aware-fill',
  },
  search_replace: {
    label: 'Search & Replace',
    description: 'Find what search_prompt names and replace it with what prompt describes.',
    seedProvider: 'stability',
    async: false,
    fields: ['prompt', 'negative_prompt', 'search_prompt'],
    required: ['image', 'prompt', 'search_prompt'],
    cloud: 'always',
  },
  search_recolor: {
    label: 'Search & Recolor',
    description:
      'Recolor what select_prompt names to the colour in prompt (cloud), or the masked area to a named/hex colour (local).',
    seedProvider: 'stability',
    async: false,
    fields: ['prompt', 'mask', 'negative_prompt', 'select_prompt', 'options'],
    required: ['image', 'prompt', 'mask or select_prompt'],
    local:
      'with a mask and a colour name or hex in prompt; with select_prompt too when no cloud provider is available (the mask alone says where)',
    localModel: 'oklab-recolor',
    cloud: 'with select_prompt',
  },
  general_edit: {
    label: 'Prompt-based Edit',
    description: 'Edit the whole image as the prompt says.',
    seedProvider: 'huggingface',
    async: false,
    fields: ['prompt', 'negative_prompt'],
    required: ['image', 'prompt'],
    cloud: 'always',
  },
  relight: {
    label: 'Replace Background & Relight',
    description: 'New background (prompt or image) with matching light (direction or light image).',
    seedProvider: 'stability',
    async: true,
    fields: ['prompt', 'negative_prompt', 'background', 'lighting'],
    required: ['image', 'prompt or background image'],
    cloud: 'always (asynchronous, polled)',
  },
  replace_background: {
    label: 'Replace Background',
    description:
      'Cut out the subject, then compose it on a colour (options.background_color), an image (background_image_base64) or a blurred copy.',
    seedProvider: 'local',
    async: false,
    fields: ['background', 'options'],
    required: ['image'],
    local: 'always, unless provider=stability does the cut-out',
    localModel: 'isnet',
  },
};

/** The seed's `fields` flags for GET /edit/operations. */
export function fieldFlags(spec: EditOperationSpec): Record<string, boolean> {
  const has = (f: EditField) => spec.fields.includes(f);
  return {
    prompt: has('prompt'),
    mask: has('mask'),
    negative_prompt: has('negative_prompt'),
    search_prompt: has('search_prompt'),
    select_prompt: has('select_prompt'),
    background: has('background'),
    lighting: has('lighting'),
    expansion: has('expansion'),
    style_preset: has('style_preset'),
  };
}
