import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { contrast, parseHex, readableText } from './color.ts';
import { splitCopy } from './layout.ts';
import { createLocalProvider } from './provider.ts';

const local = createLocalProvider();
const auth = { apiKey: '' };

async function lumaStats(
  image: Buffer,
  region: { left: number; top: number; width: number; height: number },
) {
  const { data } = await sharp(image).extract(region).greyscale().raw().toBuffer({ resolveWithObject: true });
  let min = 255;
  let max = 0;
  const hist = new Map<number, number>();
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    hist.set(v, (hist.get(v) ?? 0) + 1);
  }
  return { min, max, distinct: hist.size };
}

describe('local layout provider', () => {
  it('renders a template-sized layout at the exact size, labelled as a layout', async () => {
    const r = await local.run(
      {
        operation: 'create',
        model: 'layout',
        prompt: 'Summer sale. Everything 30% off this weekend only',
        width: 1080,
        height: 1350,
      },
      auth,
    );
    expect([r.width, r.height, r.mime, r.kind, r.provider, r.costCredits]).toEqual([
      1080,
      1350,
      'image/png',
      'layout',
      'local',
      0,
    ]);
  });

  it('is not blank and its text area has contrast', async () => {
    const r = await local.run(
      {
        operation: 'create',
        model: 'layout',
        prompt: 'Grand opening',
        width: 800,
        height: 418,
        brandColors: ['#0b3d91', '#1565c0', '#ffcc00'],
      },
      auth,
    );
    const whole = await lumaStats(r.image, { left: 0, top: 0, width: 800, height: 418 });
    expect(whole.distinct).toBeGreaterThan(20);
    // The headline sits in the vertical middle band; text pixels against the background give a wide range.
    const band = await lumaStats(r.image, { left: 40, top: 120, width: 720, height: 180 });
    expect(band.max - band.min).toBeGreaterThan(120);
  });

  it('uses brand colours for the background', async () => {
    const r = await local.run(
      {
        operation: 'create',
        model: 'layout',
        prompt: 'x',
        width: 200,
        height: 200,
        brandColors: ['#ff0000', '#ff0000'],
        stylePreset: 'line-art',
      },
      auth,
    );
    const { data } = await sharp(r.image)
      .extract({ left: 2, top: 2, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[1]).toBeLessThan(60);
  });

  it('renders other styles, formats and a default size', async () => {
    const jpeg = await local.run(
      {
        operation: 'create',
        model: 'layout',
        prompt: 'Night market',
        stylePreset: 'neon-punk',
        outputFormat: 'jpeg',
        aspectRatio: '16:9',
      },
      auth,
    );
    expect([jpeg.mime, jpeg.width, jpeg.height]).toEqual(['image/jpeg', 1024, 576]);
  });

  it('refuses an empty prompt', async () => {
    await expect(
      local.run({ operation: 'create', model: 'layout', prompt: ' ' }, auth),
    ).rejects.toMatchObject({ code: 'provider_rejected' });
  });
});

describe('layout helpers', () => {
  it('splits headline and subline at the first sentence', () => {
    expect(splitCopy('Big news. We moved downtown!')).toEqual({
      headline: 'Big news.',
      subline: 'We moved downtown!',
    });
    expect(splitCopy('x', 'Custom').headline).toBe('Custom');
  });

  it('picks the text colour with the better contrast', () => {
    expect(readableText([parseHex('#ffffff')!]).color).toEqual([17, 17, 17]);
    expect(readableText([parseHex('#000080')!]).color).toEqual([255, 255, 255]);
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21);
  });
});
