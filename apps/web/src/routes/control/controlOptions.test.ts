import { describe, expect, it } from 'vitest';
import type { ControlOperationInfo } from '../../api/control.ts';
import { type ControlState, controlFields, keyNeed, sliderValue } from './controlOptions.ts';

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
const info = (over: Partial<ControlOperationInfo>): ControlOperationInfo => ({
  label: 'Op',
  description: '',
  provider: 'stability',
  fields: none,
  required: ['control_image', 'prompt'],
  defaults: {},
  providers: [{ provider: 'stability', model: 'control', available: true, async: false, price_credits: 3 }],
  available: true,
  price_credits: 3,
  ...over,
});
const sketch = info({ fields: { ...none, control_strength: true }, defaults: { control_strength: 0.7 } });
const style = info({
  fields: { ...none, fidelity: true, aspect_ratio: true },
  defaults: { fidelity: 0.5, aspect_ratio: '1:1' },
});
const transfer = info({
  fields: {
    ...none,
    style_image: true,
    style_strength: true,
    composition_fidelity: true,
    change_strength: true,
  },
  defaults: { style_strength: 1, composition_fidelity: 0.9, change_strength: 0.9 },
});
const state = (over: Partial<ControlState> = {}): ControlState => ({
  prompt: '  a cottage  ',
  negative: '',
  sliders: {},
  aspect: null,
  seed: null,
  format: 'png',
  ...over,
});

describe('control options to the request', () => {
  it('sends only the sliders the operation takes, at the server default until moved', () => {
    expect(controlFields('sketch', sketch, state({ sliders: { fidelity: 0.2 } }))).toEqual({
      operation: 'sketch',
      prompt: 'a cottage',
      negative_prompt: null,
      control_strength: 0.7,
      seed: null,
      output_format: 'png',
    });
  });

  it('keeps an explicit 0 (the original replaced it with the default)', () => {
    expect(
      controlFields('structure', sketch, state({ sliders: { control_strength: 0 } })).control_strength,
    ).toBe(0);
    expect(sliderValue(sketch, state({ sliders: { control_strength: 0 } }), 'control_strength')).toBe(0);
  });

  it('style: fidelity and the aspect ratio (the default 1:1 until chosen), seed and format as set', () => {
    expect(controlFields('style', style, state({ seed: 42, format: 'webp', negative: ' blur ' }))).toEqual({
      operation: 'style',
      prompt: 'a cottage',
      negative_prompt: 'blur',
      fidelity: 0.5,
      aspect_ratio: '1:1',
      seed: 42,
      output_format: 'webp',
    });
    expect(controlFields('style', style, state({ aspect: '21:9' })).aspect_ratio).toBe('21:9');
    expect(controlFields('sketch', sketch, state({ aspect: '21:9' }))).not.toHaveProperty('aspect_ratio');
  });

  it('style transfer: its three sliders', () => {
    const fields = controlFields('style_transfer', transfer, state({ sliders: { change_strength: 0.3 } }));
    expect([fields.style_strength, fields.composition_fidelity, fields.change_strength]).toEqual([
      1, 0.9, 0.3,
    ]);
    expect(fields).not.toHaveProperty('control_strength');
  });

  it('names the missing key, or the reason when it is not a key', () => {
    const label = (id: string) => (id === 'stability' ? 'Stability AI' : id);
    expect(keyNeed(sketch, label)).toBeNull();
    const keyless = info({
      available: false,
      providers: [
        {
          provider: 'stability',
          model: 'control',
          available: false,
          reason: 'No API key configured',
          async: false,
          price_credits: 3,
        },
      ],
    });
    expect(keyNeed(keyless, label)).toBe('Needs a Stability AI key');
    const down = info({
      available: false,
      providers: [
        {
          provider: 'stability',
          model: 'control',
          available: false,
          reason: 'Provider is failing',
          async: false,
          price_credits: 3,
        },
      ],
    });
    expect(keyNeed(down, label)).toBe('Provider is failing');
  });
});
