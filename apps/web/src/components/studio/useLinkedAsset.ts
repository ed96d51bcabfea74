import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import type { Asset } from '../../api/endpoints.ts';
import { useAsset } from '../../hooks/useLibrary.ts';

/** The positive integer in `?asset=`, or null. */
export function linkedAssetId(params: URLSearchParams): number | null {
  const id = Number(params.get('asset'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * "Use as input" from another screen names a library asset (`?asset=<id>`): once it has loaded it is
 * handed to `onAsset`, once per id, so the user's later choices are not overwritten.
 */
export function useLinkedAsset(onAsset: (asset: Asset) => void): void {
  const [params] = useSearchParams();
  const linked = useAsset(linkedAssetId(params));
  const used = useRef<number | null>(null);
  const handler = useRef(onAsset);
  handler.current = onAsset;
  useEffect(() => {
    if (linked.data && used.current !== linked.data.id) {
      used.current = linked.data.id;
      handler.current(linked.data);
    }
  }, [linked.data]);
}
