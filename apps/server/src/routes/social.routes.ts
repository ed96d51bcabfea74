import {
  CompressBatchRequest,
  CompressBatchResponse,
  CompressEstimateRequest,
  CompressEstimateResponse,
  CompressRequest,
  CompressResponse,
  ConvertFormatBatchRequest,
  ConvertFormatBatchResponse,
  ConvertFormatRequest,
  ConvertFormatResponse,
  PlatformParam,
  PlatformSpecResponse,
  SocialExportParam,
  SocialFormatsResponse,
  SocialOptimizeQuery,
  SocialOptimizeRequest,
  SocialOptimizeResponse,
  SocialPlatformsResponse,
} from '@studio/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ImageSource } from '../assets/image-source.ts';
import type { Context } from '../context.ts';
import { AppError, isAppError, validationFailed } from '../errors.ts';
import { multipartBody, uploadedFile } from '../http/multipart.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import type { AnswerBudget } from '../imaging/answer-budget.ts';
import {
  CATALOGUE_VERSION,
  findPlatform,
  PLATFORM_IDS,
  PLATFORMS,
  PLATFORMS_WITHOUT_FORMATS,
  type PlatformFormat,
  type PlatformSpec,
} from '../social/platforms.ts';
import { dataUrl, type SocialStudio } from '../social/social-studio.ts';

const tags = ['social'];
const socialMultipart = multipartBody({ listFields: ['platforms'] });

function imageSource(
  request: FastifyRequest,
  body: { image_base64?: string; asset_id?: number },
): ImageSource {
  const file = uploadedFile(request, 'file');
  const given = [body.image_base64 !== undefined, body.asset_id !== undefined, file !== undefined].filter(
    Boolean,
  ).length;
  if (given !== 1) {
    throw validationFailed('Send exactly one image: image_base64, asset_id or a multipart `file`.', {
      issues: [{ path: 'image_base64', message: 'Send exactly one of image_base64, asset_id or file.' }],
    });
  }
  if (file) return { bytes: file.bytes, name: file.filename };
  if (body.asset_id !== undefined) return { assetId: body.asset_id };
  return { base64: body.image_base64 ?? '' };
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10}MB`;
const upper = (types: readonly string[]) => types.map((t) => (t === 'jpeg' ? 'JPG' : t.toUpperCase()));

function formatView(f: PlatformFormat) {
  return {
    id: f.id,
    name: f.name,
    width: f.width,
    height: f.height,
    ratio: f.ratio,
    safe_zone: f.safeZone,
    file_type: upper(f.fileTypes)[0] ?? 'JPG',
    file_types: upper(f.fileTypes),
    max_size_mb: Math.round((f.maxBytes / 1024 / 1024) * 100) / 100,
    max_size_bytes: f.maxBytes,
    verified: f.verified,
    ...(f.note ? { note: f.note } : {}),
  };
}

const unknownPlatform = (platform: string) =>
  new AppError(
    404,
    'unknown_platform',
    `Unknown platform "${platform}". Known: ${PLATFORM_IDS.join(', ')}.`,
    {
      known_platforms: PLATFORM_IDS,
    },
  );

function specView(p: PlatformSpec) {
  return {
    platform: p.displayName,
    id: p.id,
    file_types: upper(p.fileTypes),
    max_file_size: mb(p.maxBytes),
    max_file_size_bytes: p.maxBytes,
    source: p.source,
    verified: p.verified,
    catalogue_version: CATALOGUE_VERSION,
    formats: p.formats.map((f) => ({
      name: f.name,
      size: `${f.width}x${f.height}`,
      width: f.width,
      height: f.height,
      ratio: f.ratio,
      max_file_size: mb(f.maxBytes),
      file_types: upper(f.fileTypes),
    })),
  };
}

/**
 * Social Optimizer, platform catalogue and the compress/convert tools. CPU-bound but local and
 * free, so they answer in the request like the original; sharp does the work off the event loop.
 */
export function socialRoutes(app: StudioApp, ctx: Context): void {
  const studio = ctx.social;

  app.get(
    '/api/image-studio/social/platforms',
    {
      schema: {
        tags,
        summary: 'Every platform and format in the catalogue',
        response: { 200: SocialPlatformsResponse },
      },
    },
    async () => ({
      catalogue_version: CATALOGUE_VERSION,
      platforms: PLATFORMS.map((p) => ({
        id: p.id,
        display_name: p.displayName,
        formats: p.formats.map(formatView),
      })),
    }),
  );

  app.get(
    '/api/image-studio/social/platforms/:platform/formats',
    {
      schema: {
        tags,
        summary: "A platform's formats with sizes, safe zones and upload limits",
        description:
          'blog, email and website have no social formats (empty list); other unknown names are 404.',
        params: PlatformParam,
        response: { 200: SocialFormatsResponse },
      },
    },
    async (request) => {
      const { platform } = request.params;
      const spec = findPlatform(platform);
      if (!spec) {
        if ((PLATFORMS_WITHOUT_FORMATS as readonly string[]).includes(platform.toLowerCase())) {
          return { platform: platform.toLowerCase(), catalogue_version: CATALOGUE_VERSION, formats: [] };
        }
        throw unknownPlatform(platform);
      }
      return {
        platform: spec.id,
        catalogue_version: CATALOGUE_VERSION,
        formats: spec.formats.map(formatView),
      };
    },
  );

  app.get(
    '/api/image-studio/platform-specs/:platform',
    {
      schema: {
        tags,
        summary: "A platform's upload specs (the original's endpoint, from the same catalogue)",
        params: PlatformParam,
        response: { 200: PlatformSpecResponse },
      },
    },
    async (request) => {
      const spec = findPlatform(request.params.platform);
      if (!spec) throw unknownPlatform(request.params.platform);
      return specView(spec);
    },
  );

  app.post(
    '/api/image-studio/social/optimize',
    {
      config: { imageBody: true },
      preValidation: socialMultipart,
      schema: {
        tags,
        summary: 'One image into many platform formats, saved to your library',
        description:
          'JSON (image_base64 or asset_id) or multipart (`file` + fields). Outputs are assets (module ' +
          '`social`, parent = the source). `?download=zip` answers with a ZIP of the outputs instead.',
        body: SocialOptimizeRequest,
        querystring: SocialOptimizeQuery,
        response: { 200: SocialOptimizeResponse },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const b = request.body;
      // A ZIP answer carries the saved outputs only: no base64 and no previews to make or count.
      const asZip = request.query.download === 'zip';
      const outcome = await studio.optimize(user.id, imageSource(request, b), {
        platforms: b.platforms,
        ...(b.format_names ? { formatNames: b.format_names } : {}),
        allFormats: b.all_formats,
        cropMode: b.crop_mode,
        focalPoint: b.focal_point ?? null,
        outputFormat: b.output_format,
        ...(b.quality !== undefined ? { quality: b.quality } : {}),
        fitBackground: b.fit_background,
        backgroundColor: b.background_color,
        showSafeZones: b.show_safe_zones && !asZip,
        burnSafeZones: b.burn_safe_zones,
        includeBase64: b.include_base64 && !asZip,
      });
      if (asZip) {
        const zip = await studio.exportZip(user.id, outcome.exportId, request.log);
        void reply.header('content-type', 'application/zip');
        void reply.header('content-disposition', `attachment; filename="social-${outcome.exportId}.zip"`);
        void reply.header('x-export-id', outcome.exportId);
        void reply.header('x-missing-files', zip.missing.join(','));
        // Fastify sends streams as they are, past the JSON schema that types this reply.
        return reply.send(zip.stream as never);
      }
      return studio.present(outcome, b.include_base64);
    },
  );

  app.get(
    '/api/image-studio/social/exports/:file',
    {
      schema: {
        tags,
        summary: 'All outputs of one optimization as a ZIP (`<export_id>.zip`)',
        params: SocialExportParam,
      },
    },
    async (request, reply) => {
      const exportId = request.params.file.replace(/\.zip$/, '');
      const zip = await studio.exportZip(userOf(request).id, exportId, request.log);
      void reply.header('content-type', 'application/zip');
      void reply.header('content-disposition', `attachment; filename="social-${exportId}.zip"`);
      void reply.header('x-missing-files', zip.missing.join(','));
      return reply.send(zip.stream);
    },
  );

  app.post(
    '/api/image-studio/compress',
    {
      config: { imageBody: true },
      preValidation: socialMultipart,
      schema: {
        tags: ['processing'],
        summary: 'Re-encode smaller, optionally to a target size (the original API)',
        body: CompressRequest,
        response: { 200: CompressResponse },
      },
    },
    async (request) =>
      compress(
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
      preValidation: socialMultipart,
      schema: {
        tags: ['processing'],
        summary: 'Convert to another format (the original API, plus AVIF)',
        body: ConvertFormatRequest,
        response: { 200: ConvertFormatResponse },
      },
    },
    async (request) =>
      convert(
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
        tags: ['processing'],
        summary: 'Compress up to 20 images (the original API); failures come back zeroed with their error',
        body: CompressBatchRequest,
        response: { 200: CompressBatchResponse },
      },
    },
    async (request) => {
      const userId = userOf(request).id;
      const answer = studio.answerBudget();
      return batch(
        request.body.images,
        async (item) => compress(studio, userId, jsonSource(item), item, answer),
        (item) => ({
          image_base64: '',
          original_size_kb: 0,
          compressed_size_kb: 0,
          compression_ratio: 0,
          format: item.format,
          width: 0,
          height: 0,
          quality_used: 0,
          target_met: false,
          metadata_stripped: false,
        }),
        (e) => request.log.error(e, 'compress batch item failed'),
      );
    },
  );

  app.post(
    '/api/image-studio/convert-format/batch',
    {
      config: { imageBody: true },
      schema: {
        tags: ['processing'],
        summary: 'Convert up to 20 images (the original API); failures come back zeroed with their error',
        body: ConvertFormatBatchRequest,
        response: { 200: ConvertFormatBatchResponse },
      },
    },
    async (request) => {
      const userId = userOf(request).id;
      const answer = studio.answerBudget();
      return batch(
        request.body.images,
        async (item) => convert(studio, userId, jsonSource(item), item, answer),
        (item) => ({
          image_base64: '',
          original_format: '',
          target_format: item.target_format,
          original_size_kb: 0,
          converted_size_kb: 0,
          width: 0,
          height: 0,
          transparency_preserved: false,
          metadata_preserved: false,
          color_space: '',
        }),
        (e) => request.log.error(e, 'convert batch item failed'),
      );
    },
  );

  app.post(
    '/api/image-studio/compress/estimate',
    {
      config: { imageBody: true },
      preValidation: socialMultipart,
      schema: {
        tags: ['processing'],
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

async function compress(
  studio: SocialStudio,
  userId: number,
  source: ImageSource,
  b: z.infer<typeof CompressRequest>,
  answer: AnswerBudget,
) {
  const r = await studio.compress(userId, source, {
    answer,
    quality: b.quality,
    format: b.format,
    ...(b.target_size_kb ? { targetSizeKb: b.target_size_kb } : {}),
    stripMetadata: b.strip_metadata,
    progressive: b.progressive,
    optimize: b.optimize,
  });
  return {
    success: true as const,
    image_base64: dataUrl(r.mime, r.bytes),
    original_size_kb: r.originalSizeKb,
    compressed_size_kb: r.compressedSizeKb,
    compression_ratio: r.compressionRatio,
    format: r.format,
    width: r.width,
    height: r.height,
    quality_used: r.qualityUsed,
    target_met: r.targetMet,
    metadata_stripped: r.metadataStripped,
  };
}

async function convert(
  studio: SocialStudio,
  userId: number,
  source: ImageSource,
  b: z.infer<typeof ConvertFormatRequest>,
  answer: AnswerBudget,
) {
  const r = await studio.convert(userId, source, {
    answer,
    targetFormat: b.target_format,
    ...(b.quality ? { quality: b.quality } : {}),
    preserveTransparency: b.preserve_transparency,
    ...(b.color_space ? { colorSpace: b.color_space } : {}),
    stripMetadata: b.strip_metadata,
    progressive: b.progressive,
    optimize: b.optimize,
  });
  return {
    success: true as const,
    image_base64: dataUrl(r.mime, r.bytes),
    original_format: r.originalFormat,
    target_format: r.format,
    original_size_kb: r.originalSizeKb,
    converted_size_kb: r.convertedSizeKb,
    width: r.width,
    height: r.height,
    transparency_preserved: r.transparencyPreserved,
    metadata_preserved: r.metadataPreserved,
    color_space: r.colorSpace === 'p3' ? 'Display P3' : 'sRGB',
  };
}

const WHOLE_BATCH_ERRORS: ReadonlySet<string> = new Set(['output_too_large', 'server_busy']);

/** A batch item names its image in JSON only. */
function jsonSource(item: { image_base64?: string; asset_id?: number }): ImageSource {
  if ((item.image_base64 === undefined) === (item.asset_id === undefined)) {
    throw validationFailed('Send exactly one of image_base64 or asset_id.');
  }
  return item.asset_id !== undefined ? { assetId: item.asset_id } : { base64: item.image_base64 ?? '' };
}

/**
 * One item at a time (each is CPU-bound); a failed item keeps its place, zeroed, with its error.
 * An answer grown past its size limit or a busy server refuses the whole batch: those are not
 * about one item, and the client should split the batch or come back.
 */
async function batch<I, R extends object, Z extends object>(
  items: readonly I[],
  run: (item: I) => Promise<R>,
  zeroed: (item: I) => Z,
  log: (e: unknown) => void,
) {
  const results: Array<
    (R & { success: boolean }) | (Z & { success: false; error: { code: string; message: string } })
  > = [];
  for (const item of items) {
    try {
      results.push({ ...(await run(item)), success: true });
    } catch (e) {
      if (isAppError(e) && WHOLE_BATCH_ERRORS.has(e.code)) throw e;
      if (!isAppError(e)) log(e);
      const error = isAppError(e)
        ? { code: e.code, message: e.message }
        : { code: 'internal_error', message: 'The image could not be processed.' };
      results.push({ ...zeroed(item), success: false as const, error });
    }
  }
  const failed = results.filter((r) => !r.success).length;
  return {
    success: failed === 0,
    results,
    total_images: items.length,
    successful: items.length - failed,
    failed,
  };
}
