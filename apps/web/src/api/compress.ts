import { type BodyOf, client, ok } from './client.ts';
import { multipart } from './multipart.ts';
import type { ImageUpload } from './studio.ts';

type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
export type CompressionFormatT = Answer<typeof compression.formats>['formats'][number];
export type CompressionPresetT = Answer<typeof compression.presets>['presets'][number];
export type ConvertibleFormatT = Answer<typeof compression.convertible>['formats'][number];
export type RecommendationT = Answer<typeof compression.recommendations>['recommendations'][number];
export type CompressEstimateT = Answer<typeof compression.estimate>;
export type CompressResponseT = Answer<typeof compression.compress>;
export type ConvertResponseT = Answer<typeof compression.convert>;

type WithoutImage<B> = Omit<B, 'image_base64' | 'asset_id'>;
/** Everything but the image; defaults may be left out. */
export type CompressFields = WithoutImage<BodyOf<'/api/image-studio/compress'>>;
export type ConvertFields = WithoutImage<BodyOf<'/api/image-studio/convert-format'>>;
export type EstimateFields = WithoutImage<BodyOf<'/api/image-studio/compress/estimate'>>;

/** A file goes as the multipart `file` part beside the typed fields, a library image by id. */
const withImage = <F extends object>(source: ImageUpload, fields: F, signal?: AbortSignal) =>
  source.kind === 'file'
    ? { body: fields, bodySerializer: multipart({ file: source.file }), signal }
    : { body: { ...fields, asset_id: source.assetId }, signal };

export const compression = {
  formats: () => ok(client.GET('/api/image-studio/compress/formats')),
  presets: () => ok(client.GET('/api/image-studio/compress/presets')),
  convertible: () => ok(client.GET('/api/image-studio/convert-format/supported')),
  recommendations: (sourceFormat: string) =>
    ok(
      client.GET('/api/image-studio/convert-format/recommendations', {
        params: { query: { source_format: sourceFormat } },
      }),
    ),
  /** The size one compression would give, measured by the server encoding it once. */
  estimate: (source: ImageUpload, fields: EstimateFields, signal?: AbortSignal) =>
    ok(client.POST('/api/image-studio/compress/estimate', withImage(source, fields, signal))),
  compress: (source: ImageUpload, fields: CompressFields) =>
    ok(client.POST('/api/image-studio/compress', withImage(source, fields))),
  convert: (source: ImageUpload, fields: ConvertFields) =>
    ok(client.POST('/api/image-studio/convert-format', withImage(source, fields))),
};
