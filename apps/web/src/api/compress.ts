import type {
  CompressEstimateResponse,
  CompressionFormatsResponse,
  CompressionPresetsResponse,
  CompressRequest,
  CompressResponse,
  ConvertFormatRequest,
  ConvertFormatResponse,
  FormatRecommendationsResponse,
  SupportedFormatsResponse,
} from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';
import { appendFields, type ImageUpload } from './studio.ts';

export type CompressionFormatT = z.infer<typeof CompressionFormatsResponse>['formats'][number];
export type CompressionPresetT = z.infer<typeof CompressionPresetsResponse>['presets'][number];
export type ConvertibleFormatT = z.infer<typeof SupportedFormatsResponse>['formats'][number];
export type RecommendationT = z.infer<typeof FormatRecommendationsResponse>['recommendations'][number];
export type CompressEstimateT = z.infer<typeof CompressEstimateResponse>;
export type CompressResponseT = z.infer<typeof CompressResponse>;
export type ConvertResponseT = z.infer<typeof ConvertFormatResponse>;

/** Everything but the image; defaults may be left out. */
export type CompressFields = Partial<Omit<z.input<typeof CompressRequest>, 'image_base64' | 'asset_id'>>;
export type ConvertFields = Partial<Omit<z.input<typeof ConvertFormatRequest>, 'image_base64' | 'asset_id'>> &
  Pick<z.input<typeof ConvertFormatRequest>, 'target_format'>;

/** A file goes as the multipart `file` part, a library image by id. */
function body(source: ImageUpload, fields: Record<string, unknown>): FormData | object {
  if (source.kind === 'asset') {
    return { ...fields, asset_id: source.assetId };
  }
  const form = new FormData();
  form.append('file', source.file);
  return appendFields(form, fields);
}

const post = <T>(path: string, source: ImageUpload, fields: Record<string, unknown>, signal?: AbortSignal) =>
  api<T>(path, { method: 'POST', body: body(source, fields), signal });

export const compression = {
  formats: () => api<z.infer<typeof CompressionFormatsResponse>>('/api/image-studio/compress/formats'),
  presets: () => api<z.infer<typeof CompressionPresetsResponse>>('/api/image-studio/compress/presets'),
  convertible: () =>
    api<z.infer<typeof SupportedFormatsResponse>>('/api/image-studio/convert-format/supported'),
  recommendations: (sourceFormat: string) =>
    api<z.infer<typeof FormatRecommendationsResponse>>('/api/image-studio/convert-format/recommendations', {
      query: { source_format: sourceFormat },
    }),
  /** The size one compression would give, measured by the server encoding it once. */
  estimate: (source: ImageUpload, fields: { format: string; quality: number }, signal?: AbortSignal) =>
    post<CompressEstimateT>('/api/image-studio/compress/estimate', source, fields, signal),
  compress: (source: ImageUpload, fields: CompressFields) =>
    post<CompressResponseT>('/api/image-studio/compress', source, fields),
  convert: (source: ImageUpload, fields: ConvertFields) =>
    post<ConvertResponseT>('/api/image-studio/convert-format', source, fields),
};
