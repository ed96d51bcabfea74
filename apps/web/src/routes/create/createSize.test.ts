import { describe, expect, it } from 'vitest';
import { geminiCatalogue } from '../../../../server/src/providers/gemini/catalog.ts';
import { huggingfaceCatalogue } from '../../../../server/src/providers/huggingface/catalog.ts';
import { localCatalogue } from '../../../../server/src/providers/local/catalog.ts';
import { nearestSize } from '../../../../server/src/providers/sizing.ts';
import { stabilityCatalogue } from '../../../../server/src/providers/stability/catalog.ts';
import { wavespeedCatalogue } from '../../../../server/src/providers/wavespeed/catalog.ts';
import { ASPECT_PRESETS, generatedSize, matchingPreset, presetSize, sizeProblem } from './createSize.ts';

describe('create size maths', () => {
  it('each preset at a long side keeps that side and the ratio', () => {
    expect(presetSize('16:9', 1920)).toEqual({ width: 1920, height: 1080 });
    expect(presetSize('9:16', 1920)).toEqual({ width: 1080, height: 1920 });
    expect(presetSize('4:5', 1350)).toEqual({ width: 1080, height: 1350 });
    expect(presetSize('21:9', 1024)).toEqual({ width: 1024, height: 439 });
    for (const aspect of ASPECT_PRESETS) {
      const size = presetSize(aspect, 1024);
      expect(Math.max(size.width, size.height)).toBe(1024);
      expect(matchingPreset(size)).toBe(aspect);
    }
    expect(matchingPreset({ width: 700, height: 300 })).toBe('21:9');
    expect(matchingPreset({ width: 700, height: 400 })).toBeNull();
  });

  it('stays inside the request contract (64–8192) at the extremes', () => {
    expect(presetSize('21:9', 64)).toEqual({ width: 64, height: 64 });
    expect(presetSize('1:1', 10_000)).toEqual({ width: 8192, height: 8192 });
    expect(sizeProblem(64, 'Width')).toBeNull();
    expect(sizeProblem(8192, 'Height')).toBeNull();
    expect(sizeProblem(63, 'Width')).toBe('Width is 64–8192 px.');
    expect(sizeProblem(8193, 'Height')).toBe('Height is 64–8192 px.');
    expect(sizeProblem(100.5, 'Width')).toBe('Width is a whole number of pixels.');
    expect(sizeProblem(null, 'Width')).toBe('Width is needed.');
  });

  it("says the size each create model generates at, as the server's nearestSize picks it", () => {
    const targets = [
      { width: 700, height: 300 },
      { width: 1080, height: 1350 },
      { width: 4000, height: 1000 },
      { width: 64, height: 64 },
      { width: 3000, height: 3000 },
    ];
    const models = [
      stabilityCatalogue,
      geminiCatalogue(true),
      huggingfaceCatalogue,
      wavespeedCatalogue,
      localCatalogue,
    ]
      .flatMap((c) => c.models)
      .filter((m) => m.operations.includes('create') && m.sizing.kind !== 'input');
    expect(models.length).toBeGreaterThan(3);
    for (const model of models) {
      for (const target of targets) {
        const { width, height } = nearestSize(model, target);
        expect(generatedSize(model, target), `${model.id} at ${target.width}×${target.height}`).toEqual({
          width,
          height,
        });
      }
    }
  });
});
