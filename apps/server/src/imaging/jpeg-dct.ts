import koffi, { type KoffiFunc } from 'koffi';

/**
 * JPEG decodes at the inverse DCT's own scales through libjpeg-turbo's TurboJPEG library, where
 * the system has it (Debian: `libturbojpeg0`).
 *
 * Why not libvips: when a resize is exactly 1/2, 1/4 or 1/8, sharp shrinks on load by half that
 * (against libjpeg's rounding at other sizes) and resizes after, so an analysis "at 1/8" decoded a
 * 12 MP photo at 1/4 and resized it with Lanczos: 43–47 ms against 31–33 ms here, the same Huffman
 * pass without the larger inverse DCT, colour conversion and resize (`npm run bench jpeg-dct`).
 * At 1/8 each pixel is the mean of one 8×8 block of the source.
 */

/** What a JPEG decodes at directly (1 / the inverse DCT's block shrink), smallest first. */
export const DCT_SCALES: readonly number[] = [1 / 8, 1 / 4, 1 / 2];

/** RGB pixels as stored in the file: EXIF orientation is not applied. */
export interface DctPixels {
  data: Buffer;
  width: number;
  height: number;
}

/** TurboJPEG's `TJCS_*` colour spaces it converts to RGB exactly as libvips does. */
const RGB_LIKE = new Set([0 /* RGB */, 1 /* YCbCr */, 2 /* GRAY */]);
const TJPF_RGB = 0;

type Handle = unknown;
interface TurboJpeg {
  init: () => Handle;
  destroy: (handle: Handle) => number;
  header: (
    handle: Handle,
    jpeg: Buffer,
    size: number,
    ...out: [number[], number[], number[], number[]]
  ) => number;
  decompress: KoffiFunc<
    (
      handle: Handle,
      jpeg: Buffer,
      size: number,
      dst: Buffer,
      w: number,
      pitch: number,
      h: number,
      format: number,
      flags: number,
    ) => number
  >;
}

let library: TurboJpeg | null | undefined;

/** The library's functions, looked up once; null where it is not installed. */
function turboJpeg(): TurboJpeg | null {
  if (library !== undefined) return library;
  try {
    const lib = koffi.load('libturbojpeg.so.0');
    library = {
      init: lib.func('void *tjInitDecompress()'),
      destroy: lib.func('int tjDestroy(void *handle)'),
      header: lib.func(
        'int tjDecompressHeader3(void *handle, const uint8_t *jpeg, unsigned long size, _Out_ int *width, _Out_ int *height, _Out_ int *subsamp, _Out_ int *colorspace)',
      ),
      decompress: lib.func(
        'int tjDecompress2(void *handle, const uint8_t *jpeg, unsigned long size, _Out_ uint8_t *dst, int width, int pitch, int height, int pixelFormat, int flags)',
      ),
    };
  } catch {
    library = null;
  }
  return library;
}

/** Whether this machine decodes JPEGs at DCT scales through TurboJPEG (otherwise libvips does). */
export const dctDecodingAvailable = (): boolean => turboJpeg() !== null;

/**
 * `jpeg` (whose stored size `width` × `height` the ingest has read and checked against the pixel
 * limit) decoded at `scale`, one of DCT_SCALES, off the main thread. Cut to whole blocks, so every
 * pixel stands for the same number of source pixels and the scale is exact. Undefined when
 * TurboJPEG is missing, the scale is not a DCT scale, the file is not RGB, YCbCr or grey, its
 * header disagrees with the ingest's, or the decode errs or warns (a truncated file): libvips
 * decodes those, and reports what is wrong with them.
 */
export async function decodeAtDctScale(
  jpeg: Buffer,
  stored: { width: number; height: number },
  scale: number,
): Promise<DctPixels | undefined> {
  const tj = turboJpeg();
  if (!tj || !DCT_SCALES.includes(scale)) return undefined;
  const shrink = Math.round(1 / scale);
  const handle = tj.init();
  if (handle === null) return undefined;
  try {
    const [w, h, subsampling, colorspace] = [[0], [0], [0], [0]];
    if (tj.header(handle, jpeg, jpeg.length, w, h, subsampling, colorspace) !== 0) return undefined;
    if (w[0] !== stored.width || h[0] !== stored.height || !RGB_LIKE.has(colorspace[0] ?? -1)) {
      return undefined;
    }
    // TurboJPEG picks the largest of its scaling factors whose output fits the size asked for.
    // Asked for 1/n's own size (⌈size / n⌉, as libjpeg rounds), it decodes at exactly that size:
    // a larger factor that fit would give the same. Rows are written `pitch` bytes apart.
    const full = { width: Math.ceil(stored.width / shrink), height: Math.ceil(stored.height / shrink) };
    const pitch = full.width * 3;
    const data = Buffer.alloc(pitch * full.height);
    // Koffi throws past 256 calls queued at once (the pixel budget can admit that many small
    // previews): libvips decodes those.
    const status = await new Promise<number>((resolve, reject) => {
      tj.decompress.async(
        handle,
        jpeg,
        jpeg.length,
        data,
        full.width,
        pitch,
        full.height,
        TJPF_RGB,
        0,
        (e, r) => (e ? reject(e) : resolve(r)),
      );
    }).catch(() => -1);
    if (status !== 0) return undefined;
    return wholeBlocks(data, full, {
      width: Math.floor(stored.width / shrink),
      height: Math.floor(stored.height / shrink),
    });
  } finally {
    tj.destroy(handle);
  }
}

/** The top-left `size` of an RGB buffer of `full` size: a partial block at an edge left out. */
function wholeBlocks(
  data: Buffer,
  full: { width: number; height: number },
  size: { width: number; height: number },
): DctPixels | undefined {
  if (size.width < 1 || size.height < 1) return undefined;
  if (size.width === full.width) {
    return { data: data.subarray(0, size.width * size.height * 3), ...size };
  }
  const out = Buffer.alloc(size.width * size.height * 3);
  for (let y = 0; y < size.height; y++) {
    data.copy(out, y * size.width * 3, y * full.width * 3, (y * full.width + size.width) * 3);
  }
  return { data: out, ...size };
}
