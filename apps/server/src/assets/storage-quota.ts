import { AppError } from '../errors.ts';

/** What a user's images occupy now, and whether the bytes about to be saved are already among them. */
export interface StorageUse {
  used: number;
  /** The user already has a row (trash included) with these bytes: saving them again adds nothing. */
  owned: boolean;
}

export const storageQuotaExceeded = (details: { used: number; limit: number; needed: number }) =>
  new AppError(
    413,
    'storage_quota_exceeded',
    `This image needs ${mb(details.needed)} but only ${mb(Math.max(0, details.limit - details.used))} of ` +
      `your ${mb(details.limit)} storage is free. Delete images (and empty the trash) to make room.`,
    details,
  );

/** Refuses a save that would take the user past their limit; bytes they already keep cost nothing. */
export function admitToStorage(use: StorageUse, bytes: number, limit: number): void {
  const needed = use.owned ? 0 : bytes;
  if (needed > 0 && use.used + needed > limit) {
    throw storageQuotaExceeded({ used: use.used, limit, needed });
  }
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
