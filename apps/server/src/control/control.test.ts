import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { b64, gradientPng, type StudioTestApp, startStudioApp } from '../edit/testing/studio-app.ts';

const CONTROL = '/api/image-studio/control';
const stability = new StabilityFake();

let s: StudioTestApp;
let bare: StudioTestApp;
let image: string;
let style: string;

beforeAll(async () => {
  await stability.start();
  s = await startStudioApp({ stability });
  bare = await startStudioApp();
  image = b64(await gradientPng(128, 128));
  style = b64(await gradientPng(96, 64));
});
afterAll(async () => {
  await s?.close();
  await bare?.close();
  await stability.stop();
});
beforeEach(() => stability.reset());

const sent = (path: string) => stability.requests.filter((r) => r.path === path).at(-1);

describe('control operations at the Stability fake', () => {
  it.each([
    ['sketch', '/v2beta/stable-image/control/sketch', { control_strength: 0 }, { control_strength: '0' }],
    ['structure', '/v2beta/stable-image/control/structure', {}, { control_strength: '0.7' }],
    [
      'style',
      '/v2beta/stable-image/control/style',
      { fidelity: 0.25 },
      { fidelity: '0.25', aspect_ratio: '1:1' },
    ],
  ])(
    '%s sends its fields (an explicit 0 stays 0, defaults otherwise)',
    async (operation, path, extra, fields) => {
      const { status, body } = await s.post(CONTROL, {
        control_image_base64: image,
        operation,
        prompt: 'a castle',
        negative_prompt: 'fog',
        seed: 9,
        style_preset: 'fantasy-art',
        ...extra,
      });
      expect(status, JSON.stringify(body.error)).toBe(200);
      expect(body).toMatchObject({
        success: true,
        operation,
        provider: 'stability',
        model: `control-${operation}`,
      });
      expect(body.image_base64).toMatch(/^data:image\/png;base64,/);
      const req = sent(path);
      expect(req?.fields).toMatchObject({ prompt: 'a castle', negative_prompt: 'fog', seed: '9', ...fields });
      expect(req?.files?.image).toBeDefined();
      const asset = await s.get<{ parent_ids: number[]; source_module: string }>(
        `/api/content-assets/${body.asset_id}`,
      );
      expect(asset).toMatchObject({ parent_ids: [body.input_asset_id], source_module: 'control' });
    },
  );

  it('style_transfer sends the init and style images and its three sliders', async () => {
    const { status, body } = await s.post(`${CONTROL}/process`, {
      control_image_base64: image,
      style_image_base64: style,
      operation: 'style_transfer',
      prompt: 'oil painting',
      style_strength: 0,
      composition_fidelity: 0.5,
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    const req = sent('/v2beta/stable-image/control/style-transfer');
    expect(Object.keys(req?.files ?? {}).sort()).toEqual(['init_image', 'style_image']);
    expect(req?.fields).toMatchObject({
      style_strength: '0',
      composition_fidelity: '0.5',
      change_strength: '0.9',
    });
    expect(body.cost_credits).toBe(8);
  });

  it('takes the control and style images as multipart file parts, sent on as uploaded', async () => {
    const control = await gradientPng(128, 128);
    const styleBytes = await gradientPng(96, 64);
    const { status, body } = await s.postForm(
      CONTROL,
      { operation: 'style_transfer', prompt: 'oil painting' },
      { control_image: control, style_image: styleBytes },
    );
    expect(status, JSON.stringify(body.error)).toBe(200);
    const req = sent('/v2beta/stable-image/control/style-transfer');
    expect(req?.files?.init_image?.bytes.equals(control)).toBe(true);
    expect(req?.files?.style_image?.bytes.equals(styleBytes)).toBe(true);
  });

  it('moderation is a 422 and costs nothing', async () => {
    const before = await s.balance();
    const { status, body } = await s.post(CONTROL, {
      control_image_base64: image,
      operation: 'sketch',
      prompt: 'FAKE_MODERATE',
    });
    expect(status).toBe(422);
    expect(body.error?.code).toBe('content_moderated');
    expect(await s.balance()).toBe(before);
  });

  it('rejects bad input with 400 before anything is stored', async () => {
    const before = await s.assetCount();
    for (const payload of [
      { operation: 'sketch', prompt: 'x', control_image_base64: image, control_strength: 1.5 },
      { operation: 'sketch', prompt: 'x', control_image_base64: image, fidelity: 0.5 },
      { operation: 'style_transfer', prompt: 'x', control_image_base64: image },
      { operation: 'sketch', prompt: 'x', control_image_base64: image, style_image_base64: style },
      { operation: 'sketch', prompt: '', control_image_base64: image },
      { operation: 'doodle', prompt: 'x', control_image_base64: image },
      { operation: 'sketch', prompt: 'x' },
    ]) {
      const { status } = await s.post(CONTROL, payload);
      expect(status, JSON.stringify(payload).slice(0, 100)).toBe(400);
    }
    expect(await s.assetCount()).toBe(before);
    expect(stability.requests.length).toBe(0);
  });
});

describe('without a Stability key', () => {
  it('the three studios are in the OpenAPI document', async () => {
    const doc = await bare.get<{ paths: Record<string, unknown> }>('/api/docs/json');
    for (const path of [
      '/api/image-studio/edit',
      '/api/image-studio/edit/process',
      '/api/image-studio/edit/operations',
      '/api/image-studio/upscale',
      '/api/image-studio/control',
      '/api/image-studio/control/process',
      '/api/image-studio/control/operations',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it('is 409 no_provider naming STABILITY_API_KEY', async () => {
    const { status, body } = await bare.post(CONTROL, {
      control_image_base64: image,
      operation: 'sketch',
      prompt: 'x',
    });
    expect(status).toBe(409);
    expect(body.error?.message).toContain('STABILITY_API_KEY');
  });

  it('GET /control/operations lists the four operations with defaults, availability and price', async () => {
    const { operations } = await bare.get<{
      operations: Record<
        string,
        { available: boolean; price_credits: number; defaults: Record<string, unknown> }
      >;
    }>('/api/image-studio/control/operations');
    expect(Object.keys(operations).sort()).toEqual(['sketch', 'structure', 'style', 'style_transfer']);
    expect(operations.sketch).toMatchObject({
      available: false,
      price_credits: 3,
      defaults: { control_strength: 0.7 },
    });
    const keyed = await s.get<{ operations: Record<string, { available: boolean }> }>(
      '/api/image-studio/control/operations',
    );
    expect(keyed.operations.style_transfer?.available).toBe(true);
  });
});
