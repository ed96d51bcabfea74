import { useEffect, useState } from 'react';
import type { Placement } from './compareFrame.ts';
import type { Size } from './viewTransform.ts';

/** The added area shows as a grey checkerboard, so "before" reads as "nothing was here". */
function checkerboard(ctx: CanvasRenderingContext2D, size: Size): void {
  const cell = Math.max(8, Math.round(Math.max(size.width, size.height) / 48));
  for (let y = 0; y < size.height; y += cell) {
    for (let x = 0; x < size.width; x += cell) {
      ctx.fillStyle = (x / cell + y / cell) % 2 === 0 ? '#c8c8c8' : '#eeeeee';
      ctx.fillRect(x, y, cell, cell);
    }
  }
}

/**
 * The original drawn at its place on a canvas of the result's size (an object URL), so a before/after
 * of an outpaint compares the same pixels rather than a stretched original; null until it is drawn or
 * when there is no placement.
 */
export function useFramedOriginal(url: string, result: Size, place: Placement | null): string | null {
  const [framed, setFramed] = useState<string | null>(null);
  const { width, height } = result;
  const key = place ? `${place.x},${place.y},${place.width},${place.height}` : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the placement's numbers
  useEffect(() => {
    setFramed(null);
    if (!place) {
      return;
    }
    let alive = true;
    let made: string | null = null;
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx || !alive) {
        return;
      }
      checkerboard(ctx, { width, height });
      ctx.drawImage(image, place.x, place.y, place.width, place.height);
      canvas.toBlob(
        (blob) => {
          if (alive && blob) {
            made = URL.createObjectURL(blob);
            setFramed(made);
          }
        },
        'image/jpeg',
        0.92,
      );
    };
    image.src = url;
    return () => {
      alive = false;
      if (made) {
        URL.revokeObjectURL(made);
      }
    };
  }, [url, width, height, key]);
  return framed;
}
