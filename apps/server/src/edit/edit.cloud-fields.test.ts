import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { b64, gradientPng, type StudioTestApp, startStudioApp } from './testing/studio-app.ts';

const EDIT = '/api/image-studio/edit';
const RELIGHT = '/v2beta/stable-image/edit/replace-background-and-relight';
const stability = new StabilityFake({ asyncPolls: 1 });

let s: StudioTestApp;
let image: string;

beforeAll(async () => {
  await stability.start();
  s = await startStudioApp({ stability });
  image = b64(await gradientPng(128, 96));
});
afterAll(async () => {
  await s?.close();
  await stability.stop();
});
beforeEach(() => stability.reset());

const last = (path: string) => {
  const r = stability.requests.filter((q) => q.path === path).at(-1);
  expect(r, `no request to ${path}`).toBeDefined();
  return { fields: r?.fields ?? {}, files: r?.files ?? {} };
};

describe('the Edit screen’s relight and recolour fields reach Stability', () => {
  it('relight from a background image alone: light direction and strength, preserve subject, negative prompt', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'relight',
      background_image_base64: b64(await gradientPng(64, 48)),
      negative_prompt: 'people',
      options: { light_direction: 'above', light_strength: 0.45, preserve_subject: 0.8 },
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    const { fields, files } = last(RELIGHT);
    expect(fields).toMatchObject({
      light_source_direction: 'above',
      light_source_strength: '0.45',
      preserve_original_subject: '0.8',
      negative_prompt: 'people',
    });
    expect(fields.background_prompt).toBeUndefined();
    expect(Object.keys(files).sort()).toEqual(['background_reference', 'subject_image']);
    const sent = await sharp(files.background_reference?.bytes).metadata();
    expect([sent.width, sent.height]).toEqual([64, 48]);
  });

  it('relight without a direction sends no light fields', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'relight',
      prompt: 'a snowy street',
      options: { preserve_subject: 0.3 },
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    const { fields } = last(RELIGHT);
    expect(fields).toMatchObject({ background_prompt: 'a snowy street', preserve_original_subject: '0.3' });
    expect(fields.light_source_direction).toBeUndefined();
    expect(fields.light_source_strength).toBeUndefined();
  });

  it('recolour by naming the object: select_prompt and negative prompt, no mask', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'search_recolor',
      prompt: 'deep navy blue',
      select_prompt: 'the jacket',
      negative_prompt: 'stripes',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    const { fields, files } = last('/v2beta/stable-image/edit/search-and-recolor');
    expect(fields).toMatchObject({
      prompt: 'deep navy blue',
      select_prompt: 'the jacket',
      negative_prompt: 'stripes',
    });
    expect(Object.keys(files)).toEqual(['image']);
  });

  it.each([
    [
      { operation: 'search_replace', prompt: 'x', search_prompt: 'y', options: { light_direction: 'left' } },
      'options.light_direction, light_strength and preserve_subject are for relight only.',
    ],
    [
      { operation: 'relight', prompt: 'x', options: { light_strength: 0.5 } },
      'options.light_strength needs options.light_direction or lighting_image_base64.',
    ],
  ])('refuses light options where they mean nothing: %j', async (fields, message) => {
    const [balance, assets] = [await s.balance(), await s.assetCount()];
    const { status, body } = await s.post(EDIT, { image_base64: image, ...fields });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'validation_failed', message });
    expect(stability.requests).toEqual([]);
    expect([await s.balance(), await s.assetCount()]).toEqual([balance, assets]);
  });

  it('refuses a light direction Stability does not know', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'relight',
      prompt: 'x',
      options: { light_direction: 'behind' },
    });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('validation_failed');
    expect(stability.requests).toEqual([]);
  });
});
