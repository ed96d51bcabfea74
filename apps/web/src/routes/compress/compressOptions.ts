import type { CompressFields, ConvertFields } from '../../api/compress.ts';

export type CompressFormat = NonNullable<CompressFields['format']>;
export type ConvertFormat = ConvertFields['target_format'];

/** The formats of the request contracts, to narrow the catalogue's ids to. */
export const COMPRESS_FORMATS: readonly CompressFormat[] = ['jpeg', 'png', 'webp', 'avif'];
export const CONVERT_FORMATS: readonly ConvertFormat[] = [
  'png',
  'jpeg',
  'webp',
  'avif',
  'gif',
  'bmp',
  'tiff',
];

export interface CompressState {
  mode: 'compress' | 'convert';
  /** Compress re-encodes to a size or a quality; convert changes the format at a quality. */
  format: CompressFormat;
  convertTo: ConvertFormat;
  sizing: 'quality' | 'target';
  quality: number;
  targetKb: number;
  stripMetadata: boolean;
  preserveTransparency: boolean;
}

export const INITIAL: CompressState = {
  mode: 'compress',
  format: 'jpeg',
  convertTo: 'webp',
  sizing: 'quality',
  quality: 85,
  targetKb: 200,
  stripMetadata: true,
  preserveTransparency: true,
};

/** The server refuses a target under 10 KB (CompressRequest). */
export const MIN_TARGET_KB = 10;

export type Job = { kind: 'compress'; fields: CompressFields } | { kind: 'convert'; fields: ConvertFields };

/** The request each file is sent with. A target size leaves the quality to the server's search. */
export function requestFor(s: CompressState): Job {
  if (s.mode === 'convert') {
    return {
      kind: 'convert',
      fields: {
        target_format: s.convertTo,
        quality: s.quality,
        strip_metadata: s.stripMetadata,
        preserve_transparency: s.preserveTransparency,
      },
    };
  }
  return {
    kind: 'compress',
    fields: {
      format: s.format,
      quality: s.quality,
      target_size_kb: s.sizing === 'target' ? s.targetKb : null,
      strip_metadata: s.stripMetadata,
    },
  };
}

/** The format an output will have, as the server names it. */
export const outputFormat = (s: CompressState): string => (s.mode === 'convert' ? s.convertTo : s.format);

const EXTENSIONS: Record<string, string> = { jpeg: 'jpg', jpg: 'jpg', tiff: 'tif' };

/** `holiday.png` compressed to JPEG downloads as `holiday.jpg`; a clash gets `-2`, `-3`… */
export function outputNames(names: readonly string[], format: string): string[] {
  const extension = EXTENSIONS[format] ?? format;
  const seen = new Map<string, number>();
  return names.map((name) => {
    const stem = name.replace(/\.[^./]+$/, '') || 'image';
    const n = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, n);
    return `${n === 1 ? stem : `${stem}-${n}`}.${extension}`;
  });
}

/** The bytes and MIME type of a `data:<mime>;base64,…` URL (how the server answers an image). */
export function fromDataUrl(url: string): { mime: string; bytes: Uint8Array<ArrayBuffer> } {
  const match = /^data:([^;,]+);base64,/.exec(url);
  if (!match) {
    throw new Error('The server answered without an image.');
  }
  const binary = atob(url.slice(match[0].length));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return { mime: match[1] ?? 'application/octet-stream', bytes };
}

/** "1.5 MB", "240 KB": sizes as the server reports them, in KB. */
export function formatKb(kb: number): string {
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb < 10 ? kb.toFixed(1) : Math.round(kb)} KB`;
}
