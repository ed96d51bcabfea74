import type { ControlOp } from '../providers/types.ts';

export interface ControlOperationSpec {
  label: string;
  description: string;
  fields: {
    control_image: boolean;
    style_image: boolean;
    control_strength: boolean;
    fidelity: boolean;
    style_strength: boolean;
    composition_fidelity: boolean;
    change_strength: boolean;
    aspect_ratio: boolean;
  };
  required: readonly string[];
  /** Sent when the caller leaves the slider out (an explicit 0 is sent as 0). */
  defaults: Readonly<Record<string, number | string>>;
}

const none = {
  control_image: true,
  style_image: false,
  control_strength: false,
  fidelity: false,
  style_strength: false,
  composition_fidelity: false,
  change_strength: false,
  aspect_ratio: false,
};

/** Control Studio operations (all at Stability's control endpoints) and the seed's defaults. */
export const CONTROL_OPERATIONS: Readonly<Record<ControlOp, ControlOperationSpec>> = {
  sketch: {
    label: 'Sketch to Image',
    description: 'Turn a rough sketch into a finished image following its lines.',
    fields: { ...none, control_strength: true },
    required: ['control_image', 'prompt'],
    defaults: { control_strength: 0.7 },
  },
  structure: {
    label: 'Structure Control',
    description: "Generate a new image that keeps the input's structure (edges, layout, depth).",
    fields: { ...none, control_strength: true },
    required: ['control_image', 'prompt'],
    defaults: { control_strength: 0.7 },
  },
  style: {
    label: 'Style Control',
    description: 'Generate an image in the style of the reference image.',
    fields: { ...none, fidelity: true, aspect_ratio: true },
    required: ['control_image', 'prompt'],
    defaults: { fidelity: 0.5, aspect_ratio: '1:1' },
  },
  style_transfer: {
    label: 'Style Transfer',
    description: 'Apply the style image to the content of the control image.',
    fields: {
      ...none,
      style_image: true,
      style_strength: true,
      composition_fidelity: true,
      change_strength: true,
    },
    required: ['control_image', 'style_image', 'prompt'],
    defaults: { style_strength: 1, composition_fidelity: 0.9, change_strength: 0.9 },
  },
};
