import sharp from 'sharp';
import { AppError } from '../../apps/server/src/errors.ts';
import type { ProviderClientOptions } from '../../apps/server/src/providers/shared.ts';

/** Client options that make retries and polls run in milliseconds. */
export const fastOptions = (
  baseUrl: string,
  over: Partial<ProviderClientOptions> = {},
): ProviderClientOptions => ({
  baseUrl,
  timeoutMs: 5000,
  retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, maxRetryAfterMs: 5000 },
  breaker: { failureThreshold: 100, cooldownMs: 1000 },
  poll: { intervalMs: 1, timeoutMs: 5000 },
  ...over,
});

/** A small real test image. */
export const testImage = (width = 64, height = 64, alpha = false) =>
  sharp({
    create: {
      width,
      height,
      channels: alpha ? 4 : 3,
      background: { r: 200, g: 80, b: 40, alpha: alpha ? 0.5 : 1 },
    },
  })
    .png()
    .toBuffer();

export async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
