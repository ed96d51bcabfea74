import type { StudioJobResult } from '@studio/contracts';
import type { StudioIo } from './studio-io.ts';
import { dataUrl } from './studio-io.ts';

/**
 * The seed's response shape (image as a data URL, width, height, metadata) plus asset, URLs and job.
 * A result too large to inline is refused with 413 `output_too_large` (the asset stays saved; its
 * id and URL are in the details) rather than built into a JSON string that could exhaust the heap.
 */
export async function presentResult(io: StudioIo, userId: number, jobId: string, r: StudioJobResult) {
  const asset = await io.asset(userId, r.asset_id);
  io.answerBudget().add(asset.file_size, { asset_id: asset.id, file_url: asset.file_url, job_id: jobId });
  const bytes = await io.resultBytes(userId, r.asset_id);
  return {
    success: true as const,
    operation: r.operation,
    provider: r.provider,
    model: r.model,
    image_base64: dataUrl(asset.mime_type, bytes),
    width: r.width,
    height: r.height,
    metadata: r.metadata,
    asset_id: r.asset_id,
    input_asset_id: r.input_asset_id,
    file_url: asset.file_url,
    url: asset.file_url,
    thumbnail_url: asset.thumbnail_url,
    job_id: jobId,
    cost_credits: r.cost_credits,
    notices: r.notices ?? [],
  };
}
