import sharp from 'sharp';

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
};

export interface StoredImageInfo {
  /** sharp's name of the format; HEIF containers of AV1 are stored as `avif`. */
  format: string;
  mime: string;
  /** Size after EXIF orientation, as the picture is shown. */
  width: number;
  height: number;
}

/** What an asset row records of bytes about to be stored (they already came through ingest). */
export async function storedImageInfo(bytes: Buffer): Promise<StoredImageInfo> {
  const meta = await sharp(bytes).metadata();
  const format = meta.format === 'heif' ? 'avif' : (meta.format ?? 'png');
  return {
    format,
    mime: MIME[format] ?? 'application/octet-stream',
    width: meta.autoOrient?.width ?? meta.width ?? 0,
    height: meta.autoOrient?.height ?? meta.height ?? 0,
  };
}

/** Width and height as stored (before EXIF orientation); throws when the bytes are no readable image. */
export async function imageDimensions(bytes: Buffer): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  if (!meta.width || !meta.height) throw new Error('image without dimensions');
  return { width: meta.width, height: meta.height };
}
