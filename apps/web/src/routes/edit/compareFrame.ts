import type { Size } from './viewTransform.ts';

/** Where the original lies inside a result of another size, in result pixels. */
export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
}

const side = (v: object, key: string): number | null => {
  const n: unknown = Reflect.get(v, key);
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
};

/**
 * The original's true position in an outpaint result: `expand` (the result asset's params) says how
 * many pixels were added on each side; if the result was then fitted to another size, the placement
 * scales with it. Null when the expand is unknown or does not describe a larger canvas.
 */
export function placeOriginal(input: Size, result: Size, expand: unknown): Placement | null {
  if (typeof expand !== 'object' || expand === null) {
    return null;
  }
  const left = side(expand, 'left');
  const right = side(expand, 'right');
  const up = side(expand, 'up');
  const down = side(expand, 'down');
  if (left === null || right === null || up === null || down === null || left + right + up + down === 0) {
    return null;
  }
  const sx = result.width / (input.width + left + right);
  const sy = result.height / (input.height + up + down);
  return {
    x: Math.round(left * sx),
    y: Math.round(up * sy),
    width: Math.round(input.width * sx),
    height: Math.round(input.height * sy),
  };
}
