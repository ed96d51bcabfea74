import type { SocialOptimizeRequest } from '@studio/contracts';
import type { OptimizeInput } from './optimize-request.ts';
import type { PlatformFormat } from './platforms.ts';
import { dataUrl, type OptimizeOutcome, type PreviewOutcome } from './social-studio.ts';

/** The optimize body (JSON or multipart, as validated) as the studio takes it. */
export function optimizeInput(b: SocialOptimizeRequest, asZip: boolean): OptimizeInput {
  return {
    platforms: b.platforms,
    ...(b.format_names ? { formatNames: b.format_names } : {}),
    allFormats: b.all_formats,
    cropMode: b.crop_mode,
    focalPoint: b.focal_point ?? null,
    outputFormat: b.output_format,
    ...(b.quality !== undefined ? { quality: b.quality } : {}),
    fitBackground: b.fit_background,
    backgroundColor: b.background_color,
    // A ZIP answer carries the saved outputs only: no base64 and no previews to make or count.
    showSafeZones: b.show_safe_zones && !asZip,
    burnSafeZones: b.burn_safe_zones,
    includeBase64: b.include_base64 && !asZip,
    ...(b.crops ? { crops: b.crops } : {}),
  };
}

const names = (f: PlatformFormat) => ({ platform: f.platform, format: f.name, format_id: f.id });

const roundFaces = (faces: PreviewOutcome['result']['faces']) =>
  faces.map((f) => ({
    left: Math.round(f.left),
    top: Math.round(f.top),
    width: Math.round(f.width),
    height: Math.round(f.height),
    score: Math.round(f.score * 1000) / 1000,
  }));

const presentSubjects = (subjects: PreviewOutcome['result']['subjects']) =>
  subjects.map((s) => ({
    label: s.label,
    kind: s.kind,
    score: Math.round(s.score * 1000) / 1000,
    box: {
      left: Math.round(s.box.left),
      top: Math.round(s.box.top),
      width: Math.round(s.box.width),
      height: Math.round(s.box.height),
    },
  }));

/** The seed's response shape, extended (see contracts `SocialOptimizeResponse`). */
export function presentOptimize(outcome: OptimizeOutcome, includeBase64: boolean) {
  return {
    success: true as const,
    results: outcome.results.map(({ output: o, asset }) => ({
      ...names(o.format),
      width: o.width,
      height: o.height,
      ratio: o.format.ratio,
      ...(includeBase64 ? { image_base64: dataUrl(o.mime, o.bytes) } : {}),
      mime_type: o.mime,
      file_size: o.bytes.length,
      max_file_size: o.maxBytes,
      within_size_limit: true,
      quality: o.quality,
      quality_reduced: o.qualityReduced,
      safe_zone: o.safeZone,
      safe_zone_rect: o.safeRect,
      crop: o.crop,
      crop_strategy: o.strategy,
      subjects: o.subjects,
      ...(o.note ? { crop_note: o.note } : {}),
      ...(o.placement ? { placement: o.placement } : {}),
      encodes: o.encodes,
      ...(o.preview ? { preview_base64: dataUrl('image/jpeg', o.preview) } : {}),
      asset_id: asset.id,
      file_url: asset.file_url,
      thumbnail_url: asset.thumbnail_url,
      warnings: o.warnings,
    })),
    total_optimized: outcome.results.length,
    export_id: outcome.exportId,
    zip_url: `/api/image-studio/social/exports/${outcome.exportId}.zip`,
    source_asset_id: outcome.sourceAssetId,
    source: outcome.source,
    faces: outcome.faces,
    detected_subjects: presentSubjects(outcome.subjects),
    failures: outcome.failures.map((f) => ({
      ...names(f.format),
      code: f.code,
      message: f.message,
    })),
    warnings: outcome.warnings,
  };
}

/** `POST /social/preview`: crops, strategy, subjects and safe areas per format; no image bytes. */
export function presentPreview(outcome: PreviewOutcome) {
  return {
    success: true as const,
    source: outcome.source,
    faces: roundFaces(outcome.result.faces),
    detected_subjects: presentSubjects(outcome.result.subjects),
    formats: outcome.result.outputs.map((o) => ({
      ...names(o.format),
      width: o.format.width,
      height: o.format.height,
      ratio: o.format.ratio,
      crop: o.crop,
      crop_strategy: o.strategy,
      subjects: o.subjects,
      ...(o.note ? { crop_note: o.note } : {}),
      ...(o.placement ? { placement: o.placement } : {}),
      safe_zone: o.safeZone,
      safe_zone_rect: o.safeRect,
      safe_areas: [...o.format.safeAreas],
    })),
    warnings: outcome.warnings,
  };
}
