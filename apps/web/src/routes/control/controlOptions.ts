import type {
  ControlAspect,
  ControlFields,
  ControlOperation,
  ControlOperationInfo,
} from '../../api/control.ts';

export const OPERATIONS: readonly ControlOperation[] = ['sketch', 'structure', 'style', 'style_transfer'];

export type SliderName =
  | 'control_strength'
  | 'fidelity'
  | 'style_strength'
  | 'composition_fidelity'
  | 'change_strength';

/**
 * The sliders of the control request. Every one is 0–1 in the server contract (ControlImageRequest);
 * the step is the original screen's 0.05.
 */
export const SLIDERS: readonly { name: SliderName; label: string; help: string }[] = [
  {
    name: 'control_strength',
    label: 'Control strength',
    help: 'How closely the lines of the input are followed.',
  },
  { name: 'fidelity', label: 'Fidelity', help: 'How closely the style of the reference is kept.' },
  { name: 'style_strength', label: 'Style strength', help: 'How much of the style image is applied.' },
  {
    name: 'composition_fidelity',
    label: 'Composition fidelity',
    help: 'How much of the initial image’s composition stays.',
  },
  { name: 'change_strength', label: 'Change strength', help: 'How much the initial image may change.' },
];
export const SLIDER_RANGE = { min: 0, max: 1, step: 0.05 } as const;

/** The contract's aspect ratios for style control, widest first. */
export const ASPECTS: readonly ControlAspect[] = [
  '21:9',
  '16:9',
  '3:2',
  '5:4',
  '1:1',
  '4:5',
  '2:3',
  '9:16',
  '9:21',
];

export const FORMATS = ['png', 'jpeg', 'webp'] as const;
export type ControlFormat = (typeof FORMATS)[number];

export const SEED_MAX = 4_294_967_294;

export interface ControlState {
  prompt: string;
  negative: string;
  sliders: Partial<Record<SliderName, number>>;
  aspect: ControlAspect | null;
  seed: number | null;
  format: ControlFormat;
}

/** What a slider shows: the user's value, else the operation's default from the server. */
export function sliderValue(info: ControlOperationInfo, state: ControlState, name: SliderName): number {
  const given = state.sliders[name];
  if (given !== undefined) {
    return given;
  }
  const fallback = info.defaults[name];
  return typeof fallback === 'number' ? fallback : SLIDER_RANGE.max / 2;
}

/** The aspect ratio shown: the user's, else the operation's default from the server. */
export function aspectValue(info: ControlOperationInfo, state: ControlState): ControlAspect {
  return state.aspect ?? ASPECTS.find((a) => a === info.defaults.aspect_ratio) ?? '1:1';
}

/**
 * The request for one operation: only the fields it takes (the server refuses the others), each
 * slider with the value shown, so an explicit 0 stays 0.
 */
export function controlFields(
  operation: ControlOperation,
  info: ControlOperationInfo,
  state: ControlState,
): ControlFields {
  const sliders = Object.fromEntries(
    SLIDERS.filter((s) => info.fields[s.name]).map((s) => [s.name, sliderValue(info, state, s.name)]),
  );
  const aspect = info.fields.aspect_ratio ? aspectValue(info, state) : null;
  return {
    operation,
    prompt: state.prompt.trim(),
    negative_prompt: state.negative.trim() || null,
    ...sliders,
    ...(aspect ? { aspect_ratio: aspect } : {}),
    seed: state.seed,
    output_format: state.format,
  };
}

const orList = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;

/** "Needs a Stability key" when no provider of the operation has a key for this user; else why not. */
export function keyNeed(info: ControlOperationInfo, label: (provider: string) => string): string | null {
  if (info.available) {
    return null;
  }
  const keyless = [
    ...new Set(info.providers.filter((p) => /key/i.test(p.reason ?? '')).map((p) => label(p.provider))),
  ];
  return keyless.length > 0
    ? `Needs a ${orList(keyless)} key`
    : (info.providers[0]?.reason ?? 'No provider can run this now');
}
