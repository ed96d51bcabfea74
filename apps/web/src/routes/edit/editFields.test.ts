import { describe, expect, it } from 'vitest';
import {
  backgroundOf,
  DEFAULT_FIELDS,
  type FieldState,
  needsMask,
  planRun,
  requestFields,
} from './editFields.ts';

const f = (over: Partial<FieldState>): FieldState => ({ ...DEFAULT_FIELDS, ...over });
const background = new File([new Uint8Array([1, 2, 3])], 'beach.png', { type: 'image/png' });

describe('edit options to the request', () => {
  it('relight: the new background, preserve subject, light only with a direction', () => {
    expect(requestFields('relight', f({ prompt: ' a beach ', negativePrompt: 'people' }), 'cloud')).toEqual({
      operation: 'relight',
      prompt: 'a beach',
      negative_prompt: 'people',
      options: { preserve_subject: 0.6 },
    });
    expect(
      requestFields(
        'relight',
        f({ lightDirection: 'left', lightStrength: 0.7, preserveSubject: 0.9 }),
        'cloud',
      ),
    ).toEqual({
      operation: 'relight',
      options: { preserve_subject: 0.9, light_direction: 'left', light_strength: 0.7 },
    });
    expect(backgroundOf('relight', f({ backgroundImage: background }))).toBe(background);
  });

  it('replace background: colour, blur or an image, each alone', () => {
    expect(requestFields('replace_background', f({ backgroundColor: '#123456' }), 'local')).toEqual({
      operation: 'replace_background',
      options: { background_color: '#123456' },
    });
    expect(requestFields('replace_background', f({ backdrop: 'blur', blur: 30 }), 'local')).toEqual({
      operation: 'replace_background',
      options: { blur_radius: 30 },
    });
    const image = f({ backdrop: 'image', backgroundImage: background });
    expect(requestFields('replace_background', image, 'local')).toEqual({ operation: 'replace_background' });
    expect(backgroundOf('replace_background', image)).toBe(background);
    expect(backgroundOf('replace_background', f({ backgroundImage: background }))).toBeNull();
    expect(backgroundOf('erase', f({ backgroundImage: background }))).toBeNull();
  });

  it('recolour by name sends select_prompt and the colour words, without a mask or mask options', () => {
    const named = f({
      recolorBy: 'name',
      selectPrompt: ' the car ',
      prompt: 'navy blue',
      negativePrompt: 'rust',
    });
    expect(needsMask('search_recolor', named)).toBe(false);
    expect(requestFields('search_recolor', named, 'cloud')).toEqual({
      operation: 'search_recolor',
      prompt: 'navy blue',
      select_prompt: 'the car',
      negative_prompt: 'rust',
    });
  });

  it('recolour of the painted area sends the hex colour and the mask options, nothing cloud-only', () => {
    const painted = f({ color: '#2f9e44', negativePrompt: 'rust', grow: 6, feather: 2 });
    expect(needsMask('search_recolor', painted)).toBe(true);
    expect(requestFields('search_recolor', painted, 'local')).toEqual({
      operation: 'search_recolor',
      prompt: '#2f9e44',
      options: { grow_mask: 6, feather: 2 },
    });
  });

  it('style preset and negative prompt go with cloud inpaint, not with a local one', () => {
    const state = f({ prompt: 'a red balloon', stylePreset: 'anime', negativePrompt: 'blurry' });
    expect(requestFields('inpaint', state, 'cloud')).toMatchObject({
      prompt: 'a red balloon',
      style_preset: 'anime',
      negative_prompt: 'blurry',
    });
    const local = requestFields('inpaint', f({ stylePreset: 'anime', negativePrompt: 'blurry' }), 'local');
    expect(local).toEqual({ operation: 'inpaint', options: { grow_mask: 4, feather: 0 } });
  });

  it('fields of another operation never leak in', () => {
    const busy = f({
      prompt: 'x',
      searchPrompt: 'cat',
      selectPrompt: 'car',
      recolorBy: 'name',
      backgroundImage: background,
      lightDirection: 'above',
      extents: { left: 10, right: 0, up: 0, down: 0 },
    });
    expect(requestFields('erase', busy, 'local')).toEqual({
      operation: 'erase',
      options: { grow_mask: 4, feather: 0 },
    });
    expect(requestFields('remove_background', busy, 'local')).toEqual({ operation: 'remove_background' });
    expect(requestFields('outpaint', busy, 'cloud')).toEqual({
      operation: 'outpaint',
      prompt: 'x',
      expand_left: 10,
      expand_right: 0,
      expand_up: 0,
      expand_down: 0,
    });
  });
});

describe('where a run goes, what it sends and what it leaves out', () => {
  const prompted = f({ prompt: ' a red hat ', negativePrompt: 'blurry', stylePreset: 'photographic' });

  it('inpaint with a prompt: the cloud when a provider is usable, else this server without the prompt', () => {
    expect(planRun('inpaint', prompted, true, true)).toEqual({
      route: 'cloud',
      fields: {
        operation: 'inpaint',
        prompt: 'a red hat',
        negative_prompt: 'blurry',
        style_preset: 'photographic',
        options: { grow_mask: 4, feather: 0 },
      },
      leftOut: [],
    });
    const local = planRun('inpaint', prompted, true, false);
    expect(local.route).toBe('local');
    // Cloud-only fields stay home; the prompt is sent and the server says it did not use it.
    expect(local.fields).toEqual({
      operation: 'inpaint',
      prompt: 'a red hat',
      options: { grow_mask: 4, feather: 0 },
    });
    expect(local.leftOut.map((n) => n.code)).toEqual(['prompt_ignored_local']);
  });

  it('nothing is left out where the local run uses everything', () => {
    expect(planRun('inpaint', f({}), true, false)).toMatchObject({ route: 'local', leftOut: [] });
    expect(planRun('erase', prompted, true, true)).toMatchObject({ route: 'local', leftOut: [] });
    expect(planRun('search_recolor', f({ color: '#00ff00' }), true, false)).toMatchObject({
      route: 'local',
      fields: { operation: 'search_recolor', prompt: '#00ff00' },
      leftOut: [],
    });
  });

  it('what nothing local serves stays a cloud run (the screen then says which key it needs)', () => {
    const named = f({ recolorBy: 'name', selectPrompt: 'the car', prompt: 'green' });
    expect(planRun('search_recolor', named, false, false).route).toBe('cloud');
    expect(planRun('general_edit', f({ prompt: 'winter' }), false, false).route).toBe('cloud');
  });
});
