import type {
  CostEstimate,
  CreateImageRequest,
  CreditHistory,
  CreditsSummary,
  EstimateCostBody,
  JobAccepted,
  TemplateDto,
  TemplateList,
} from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';

export type { CostEstimate, CreditHistory, CreditsSummary, TemplateDto };
export type TemplateListT = z.infer<typeof TemplateList>;
export type JobAcceptedT = z.infer<typeof JobAccepted>;
/** The create request as the client sends it: defaults may be left out. */
export type CreateInput = Partial<CreateImageRequest> & Pick<CreateImageRequest, 'prompt'>;
export type EstimateInput = Partial<EstimateCostBody>;

/** An input image as a studio screen sends it: a file from the device, or one of the user's assets. */
export type ImageUpload = { kind: 'file'; file: File } | { kind: 'asset'; assetId: number };

/** What a finished edit, upscale or control job holds in `result` (the image itself is the asset). */
export interface StudioJobResult {
  asset_id: number;
  input_asset_id: number;
  operation: string;
  provider: string;
  model: string | null;
  width: number;
  height: number;
  mime: string;
  cost_credits: number;
  metadata: Record<string, unknown>;
}

export function isStudioJobResult(value: unknown): value is StudioJobResult {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Partial<Record<keyof StudioJobResult, unknown>>;
  return (
    typeof v.asset_id === 'number' &&
    typeof v.input_asset_id === 'number' &&
    typeof v.width === 'number' &&
    typeof v.height === 'number' &&
    typeof v.provider === 'string' &&
    typeof v.mime === 'string'
  );
}

/** Adds request fields to a multipart form the way the server reads them: text as is, the rest as JSON. */
export function appendFields(form: FormData, fields: Record<string, unknown>): FormData {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) {
      form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return form;
}

/** One variation of a finished create job (the job's `result.results[]`). */
export type CreateVariation =
  | {
      variation: number;
      asset_id: number;
      width: number;
      height: number;
      provider: string;
      model: string;
      seed: number | null;
      cost_credits: number;
    }
  | { variation: number; error: string; code: string };

export interface CreateJobResult {
  request: { provider: string; model: string; dimensions: string; template_name: string | null };
  results: CreateVariation[];
  total_generated: number;
  total_failed: number;
  total_cost_credits: number;
}

export const studio = {
  templates: () => api<TemplateListT>('/api/image-studio/templates'),
  searchTemplates: (query: string, signal?: AbortSignal) =>
    api<TemplateListT>('/api/image-studio/templates/search', { query: { query }, signal }),
  estimate: (body: EstimateInput, signal?: AbortSignal) =>
    api<CostEstimate>('/api/image-studio/estimate-cost', { method: 'POST', body, signal }),
  createAsync: (body: CreateInput) =>
    api<JobAcceptedT>('/api/image-studio/create', { method: 'POST', body: { ...body, async: true } }),
};

export const credits = {
  summary: () => api<CreditsSummary>('/api/credits'),
  history: (page: number, pageSize = 25) =>
    api<CreditHistory>('/api/credits/history', { query: { page, page_size: pageSize } }),
};
