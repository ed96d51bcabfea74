import { Box, Image } from '@mantine/core';
import { useMemo, useState } from 'react';
import { thumbHashToDataURL } from 'thumbhash';
import { type Asset, assetUrls } from '../api/endpoints.ts';

function placeholderOf(hash: string | null): string | undefined {
  if (!hash) {
    return undefined;
  }
  try {
    const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
    return thumbHashToDataURL(bytes);
  } catch {
    return undefined;
  }
}

/** A thumbnail that shows the asset's ThumbHash blur until the WebP thumbnail has loaded. */
export function AssetThumb({
  asset,
  size = 'small',
  ratio = 1,
  fit = 'cover',
}: {
  asset: Asset;
  size?: 'small' | 'large';
  ratio?: number;
  fit?: 'cover' | 'contain';
}) {
  const [loaded, setLoaded] = useState(false);
  const placeholder = useMemo(() => placeholderOf(asset.thumbhash), [asset.thumbhash]);
  return (
    <Box
      style={{
        aspectRatio: String(ratio),
        backgroundImage: placeholder ? `url(${placeholder})` : undefined,
        backgroundSize: 'cover',
        backgroundPosition: 'center',
        backgroundColor: 'var(--mantine-color-default-hover)',
        overflow: 'hidden',
      }}
    >
      <Image
        src={assetUrls.thumbnail(asset.id, size)}
        alt={asset.title ?? asset.prompt ?? `Asset ${asset.id}`}
        loading="lazy"
        h="100%"
        w="100%"
        fit={fit}
        onLoad={() => setLoaded(true)}
        style={{ opacity: loaded ? 1 : 0, transition: 'opacity 200ms' }}
      />
    </Box>
  );
}
