import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { normaliseMask } from '../imaging/local/mask.ts';
import type { RawMask } from '../imaging/local/raw-image.ts';
import { naturalTexture } from '../imaging/local/testing/synthetic-images.ts';
import { b64, decodeDataUrl, pngOf, type StudioTestApp, startStudioApp } from './testing/studio-app.ts';

const EDIT = '/api/image-studio/edit';
const stability = new StabilityFake();

let s: StudioTestApp;
beforeAll(async () => {
  await stability.start();
  s = await startStudioApp({ stability });
});
afterAll(async () => {
  await s?.close();
  await stability.stop();
});

/** Half the image's size, in soft greys: a light square (200, to edit), a dark band (100, to keep). */
function softHalfSizeMask(): RawMask {
  const width = 64;
  const height = 48;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= 16 && x < 40 && y >= 12 && y < 36) data[y * width + x] = 200;
      else if (x >= 48) data[y * width + x] = 100;
    }
  }
  return { data, width, height };
}

describe('one mask for every path', () => {
  it('a mask of another size in soft greys edits the same pixels locally and at the provider', async () => {
    const img = naturalTexture(128, 96, 5);
    const mask = softHalfSizeMask();
    const expected = await normaliseMask(mask, 128, 96);
    const editArea = expected.data.filter((v) => v === 255).length;
    expect(editArea).toBeGreaterThan(0);
    expect(expected.data.every((v) => v === 0 || v === 255)).toBe(true);
    const payload = { image_base64: b64(await pngOf(img)), mask_base64: b64(await pngOf(mask)) };

    const cloud = await s.post(EDIT, {
      ...payload,
      operation: 'inpaint',
      prompt: 'a hat',
      provider: 'stability',
    });
    expect(cloud.status, JSON.stringify(cloud.body.error)).toBe(200);
    const sentBytes = stability.requests.filter((r) => r.path === '/v2beta/stable-image/edit/inpaint').at(-1)
      ?.files?.mask?.bytes;
    const sent = await decodeDataUrl(`data:image/png;base64,${b64(sentBytes ?? Buffer.alloc(0))}`);
    expect([sent.width, sent.height]).toEqual([128, 96]);
    const sentValues = Uint8Array.from({ length: 128 * 96 }, (_, i) => sent.data[i * sent.channels]!);
    expect(Buffer.from(sentValues).equals(Buffer.from(expected.data))).toBe(true);

    const local = await s.post(EDIT, { ...payload, operation: 'search_recolor', prompt: 'royalblue' });
    expect(local.status, JSON.stringify(local.body.error)).toBe(200);
    expect(local.body).toMatchObject({ provider: 'local' });
    const out = await decodeDataUrl(local.body.image_base64);
    let changed = 0;
    for (let i = 0; i < 128 * 96; i++) {
      const p = i * 3;
      const same =
        out.data[p] === img.data[p] &&
        out.data[p + 1] === img.data[p + 1] &&
        out.data[p + 2] === img.data[p + 2];
      if (expected.data[i] === 0) expect(same, `pixel ${i} is outside the mask`).toBe(true);
      else if (!same) changed++;
    }
    expect(changed).toBe(editArea);
  });
});
