import { AppError } from '../errors.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A result that is already saved and can be fetched instead of inlined. */
export interface SavedResult {
  asset_id: number;
  file_url: string;
  job_id: string;
}

export const outputTooLarge = (bytes: number, limitBytes: number, saved?: SavedResult) =>
  new AppError(
    413,
    'output_too_large',
    `This answer would carry ${mb(bytes)} (${bytes} bytes) of images; the limit is ${mb(limitBytes)} ` +
      `(${limitBytes} bytes). ` +
      (saved
        ? `The result is saved as asset ${saved.asset_id}: fetch it from ${saved.file_url}.`
        : 'Ask for fewer images, a smaller size or a compressed format.'),
    { produced_bytes: bytes, limit_bytes: limitBytes, ...saved },
  );

/**
 * The encoded image bytes one JSON answer may carry. A small input can decode to a huge output (a
 * 200 KB PNG is a 150 MB BMP), and base64 in a JSON string held whole in the V8 heap is what runs
 * the process out of memory; so outputs are counted as they are made (before encoding when their
 * size is known beforehand) and the request is refused with 413 before the answer is built.
 */
export class AnswerBudget {
  private used = 0;

  constructor(readonly limitBytes: number) {}

  /**
   * Counts `bytes` more toward the answer; 413 `output_too_large` when it would pass the limit
   * (naming the saved result, when there is one, so the client can fetch it instead).
   */
  add(bytes: number, saved?: SavedResult): void {
    if (this.used + bytes > this.limitBytes) throw outputTooLarge(this.used + bytes, this.limitBytes, saved);
    this.used += bytes;
  }
}
