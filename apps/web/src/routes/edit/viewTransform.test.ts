import { describe, expect, it } from 'vitest';
import {
  clampView,
  fitView,
  panBy,
  pinch,
  scaleLimits,
  toImage,
  toScreen,
  wheelFactor,
  zoomAt,
} from './viewTransform.ts';

const IMAGE = { width: 2000, height: 1000 };
const STAGE = { width: 800, height: 400 };

describe('view transform', () => {
  it('fits the whole image centred', () => {
    expect(fitView(IMAGE, STAGE)).toEqual({ scale: 0.4, x: 0, y: 0 });
    const tall = fitView({ width: 100, height: 400 }, STAGE);
    expect(tall).toEqual({ scale: 1, x: 350, y: 0 });
  });

  it('maps stage and image points both ways', () => {
    const view = { scale: 2, x: -100, y: 30 };
    const p = { x: 123, y: 45 };
    expect(toImage(view, toScreen(view, p))).toEqual(p);
    expect(toScreen(view, { x: 50, y: 0 })).toEqual({ x: 0, y: 30 });
  });

  it('zooms about the anchor: the image point under it stays there', () => {
    const fit = fitView(IMAGE, STAGE);
    const anchor = { x: 300, y: 100 };
    const under = toImage(fit, anchor);
    const zoomed = zoomAt(fit, 3, anchor, IMAGE, STAGE);
    expect(zoomed.scale).toBeCloseTo(1.2, 10);
    const back = toScreen(zoomed, under);
    expect(back.x).toBeCloseTo(anchor.x, 8);
    expect(back.y).toBeCloseTo(anchor.y, 8);
  });

  it('stays between the fit and 16 screen pixels per image pixel', () => {
    const fit = fitView(IMAGE, STAGE);
    expect(zoomAt(fit, 0.1, { x: 0, y: 0 }, IMAGE, STAGE)).toEqual(fit);
    expect(zoomAt(fit, 1000, { x: 400, y: 200 }, IMAGE, STAGE).scale).toBe(16);
    // An image smaller than the stage is never shown smaller than its fit.
    expect(scaleLimits({ width: 10, height: 5 }, STAGE)).toEqual({ min: 80, max: 80 });
  });

  it('pans only as far as the image reaches and centres an axis smaller than the stage', () => {
    const zoomed = zoomAt(fitView(IMAGE, STAGE), 2, { x: 400, y: 200 }, IMAGE, STAGE);
    const far = panBy(zoomed, 10_000, -10_000, IMAGE, STAGE);
    expect(far.x).toBe(0);
    expect(far.y).toBe(STAGE.height - IMAGE.height * far.scale);
    const wide = clampView({ scale: 0.4, x: 123, y: 77 }, IMAGE, STAGE);
    expect(wide).toEqual({ scale: 0.4, x: 0, y: 0 });
  });

  it('pinching apart zooms in about the fingers and moving them pans', () => {
    const fit = fitView(IMAGE, STAGE);
    const from = [
      { x: 350, y: 200 },
      { x: 450, y: 200 },
    ] as const;
    const to = [
      { x: 300, y: 200 },
      { x: 500, y: 200 },
    ] as const;
    const under = toImage(fit, { x: 400, y: 200 });
    const view = pinch(fit, from, to, IMAGE, STAGE);
    expect(view.scale).toBeCloseTo(0.8, 10);
    const back = toScreen(view, under);
    expect(back.x).toBeCloseTo(400, 8);
    expect(back.y).toBeCloseTo(200, 8);
    const moved = pinch(
      view,
      to,
      [
        { x: 280, y: 190 },
        { x: 480, y: 190 },
      ],
      IMAGE,
      STAGE,
    );
    expect(moved.x - view.x).toBeCloseTo(-20, 8);
    expect(moved.y - view.y).toBeCloseTo(-10, 8);
  });

  it('turns a wheel notch into a zoom factor, either way, in any delta mode', () => {
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(100, 0) * wheelFactor(-100, 0)).toBeCloseTo(1, 10);
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-48, 0), 10);
  });
});
