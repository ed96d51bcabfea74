import {
  CompressBatchRequest,
  CompressBatchResponse,
  CompressEstimateRequest,
  CompressEstimateResponse,
  CompressionFormatsResponse,
  CompressionPresetsResponse,
  CompressRequest,
  CompressResponse,
  ConvertFormatBatchRequest,
  ConvertFormatBatchResponse,
  ConvertFormatRequest,
  ConvertFormatResponse,
  FormatRecommendationsQuery,
  FormatRecommendationsResponse,
  SupportedFormatsResponse,
} from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import { runBatch } from '../social/batch.ts';
import {
  compressAnswer,
  convertAnswer,
  zeroedCompress,
  zeroedConvert,
} from '../social/processing-answers.ts';
import {
  COMPRESSION_FORMATS,
  COMPRESSION_PRESETS,
  CONVERTIBLE_FORMATS,
  formatRecommendations,
} from '../social/processing-catalogue.ts';
import { imageMultipart, imageSource, jsonSource } from './image-source-body.ts';

const tags = ['processing'];

/**
 * Compress & Convert (the original's API and its catalogue endpoints). Local and free, so they
 * answer in the request; sharp does the work off the event loop.
 */
export function processingRoutes(app: StudioApp, ctx: Context): void {
  const studio = ctx.social;

  app.get(
    '/api/image-studio/compress/formats',
    {
      schema: {
        tags,
        summary: 'Formats `POST /compress` writes, with quality range and recommended quality',
        response: { 200: CompressionFormatsResponse },
      },
    },
    async () => ({ formats: [...COMPRESSION_FORMATS] }),
  );

  app.get(
    '/api/image-studio/compress/presets',
    {
      schema: {
        tags,
        summary: 'Ready-made `POST /compress` settings for common uses',
        response: { 200: CompressionPresetsResponse },
      },
    },
    async () => ({ presets: [...COMPRESSION_PRESETS] }),
  );

  app.get(
    '/api/image-studio/convert-format/supported',
    {
      schema: {
        tags,
        summary: 'Every `target_format` of `POST /convert-format`',
        response: { 200: SupportedFormatsResponse },
      },
    },
    async () => ({ formats: [...CONVERTIBLE_FORMATS] }),
  );

  app.get(
    '/api/image-studio/convert-format/recommendations',
    {
      schema: {
        tags,
        summary: 'What to convert a format to, and why',
        querystring: FormatRecommendationsQuery,
        response: { 200: FormatRecommendationsResponse },
      },
    },
    async (request) => ({ recommendations: [...formatRecommendations(request.query.source_format)] }),
  );

  app.post(
    '/api/image-studio/compress',
    {
      config: { imageBody: true },
      preValidation: imageMultipart,
      schema: {
        tags,
        summary: 'Re-encode smaller, optionally to a target size (the original API)',
        body: CompressRequest,
        response: { 200: CompressResponse },
      },
    },
    async (request) =>
      compressAnswer(
        studio,
        userOf(request).id,
        imageSource(request, request.body),
        request.body,
        studio.answerBudget(),
      ),
  );

  app.post(
    '/api/image-studio/convert-format',
    {
      config: { imageBody: true },
      preValidation: imageMultipart,
      schema: {
        tags,
        summary: 'Convert to another format (the original API, plus AVIF)',
        body: ConvertFormatRequest,
        response: { 200: ConvertFormatResponse },
      },
    },
    async (request) =>
      convertAnswer(
        studio,
        userOf(request).id,
        imageSource(request, request.body),
        request.body,
        studio.answerBudget(),
      ),
  );

  app.post(
    '/api/image-studio/compress/batch',
    {
      config: { imageBody: true },
      schema: {
        tags,
        summary: 'Compress up to 20 images (the original API); failures come back zeroed with their error',
        body: CompressBatchRequest,
        response: { 200: CompressBatchResponse },
      },
    },
    async (request) => {
      const userId = userOf(request).id;
      const answer = studio.answerBudget();
      return runBatch(
        request.body.images,
        (item) => compressAnswer(studio, userId, jsonSource(item), item, answer),
        zeroedCompress,
        (e) => request.log.error(e, 'compress batch item failed'),
      );
    },
  );

  app.post(
    '/api/image-studio/convert-format/batch',
    {
      config: { imageBody: true },
      schema: {
        tags,
        summary: 'Convert up to 20 images (the original API); failures come back zeroed with their error',
        body: ConvertFormatBatchRequest,
        response: { 200: ConvertFormatBatchResponse },
      },
    },
    async (request) => {
      const userId = userOf(request).id;
      const answer = studio.answerBudget();
      return runBatch(
        request.body.images,
        (item) => convertAnswer(studio, userId, jsonSource(item), item, answer),
        zeroedConvert,
        (e) => request.log.error(e, 'convert batch item failed'),
      );
    },
  );

  app.post(
    '/api/image-studio/compress/estimate',
    {
      config: { imageBody: true },
      preValidation: imageMultipart,
      schema: {
        tags,
        summary: 'The size a compression would give (measured by encoding once)',
        body: CompressEstimateRequest,
        response: { 200: CompressEstimateResponse },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await studio.compress(userOf(request).id, imageSource(request, b), {
        quality: b.quality,
        format: b.format,
        stripMetadata: true,
        progressive: true,
        optimize: true,
      });
      return {
        original_size_kb: r.originalSizeKb,
        estimated_size_kb: r.compressedSizeKb,
        estimated_reduction_percent: r.compressionRatio,
        width: r.width,
        height: r.height,
        format: r.format,
      };
    },
  );
}
