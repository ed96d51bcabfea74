import type { CompressRequest, ConvertFormatRequest } from '@studio/contracts';
import type { z } from 'zod';
import type { ImageSource } from '../assets/image-source.ts';
import type { AnswerBudget } from '../imaging/answer-budget.ts';
import { dataUrl, type SocialStudio } from './social-studio.ts';

/** `POST /compress` in the original's field names, from the request body as validated. */
export async function compressAnswer(
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

/** A failed compress batch item, zeroed as the original returned it. */
export const zeroedCompress = (item: { format: string }) => ({
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
});

/** `POST /convert-format` in the original's field names. */
export async function convertAnswer(
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

/** A failed convert batch item, zeroed as the original returned it. */
export const zeroedConvert = (item: { target_format: string }) => ({
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
});
