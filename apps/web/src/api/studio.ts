import { accepted, type BodyOf, client, ok, type Schemas } from './client.ts';

export type TemplateDto = Schemas['Template'];
export type CostEstimate = Schemas['CostEstimate'];
export type CreditsSummary = Schemas['CreditsSummary'];
export type TemplateListT = Awaited<ReturnType<typeof studio.templates>>;
export type JobAcceptedT = Schemas['JobAccepted'];
export type CreditHistory = Awaited<ReturnType<typeof credits.history>>;

/** The create request as the client sends it (`async` is always set here); defaults may be left out. */
export type CreateInput = Omit<BodyOf<'/api/image-studio/create'>, 'async'>;
export type EstimateInput = BodyOf<'/api/image-studio/estimate-cost'>;

/** An input image as a studio screen sends it: a file from the device, or one of the user's assets. */
export type ImageUpload = { kind: 'file'; file: File } | { kind: 'asset'; assetId: number };

/** What a finished edit, upscale or control job holds in `result` (the image itself is the asset). */
export type StudioJobResult = Schemas['StudioJobResult'];
/** What a finished create job holds in `result`. */
export type CreateJobResult = Schemas['CreateJobResult'];
/** One variation of a finished create job: an image, or the reason it failed. */
export type CreateVariation = CreateJobResult['results'][number];

export const studio = {
  templates: () => ok(client.GET('/api/image-studio/templates')),
  searchTemplates: (query: string, signal?: AbortSignal) =>
    ok(client.GET('/api/image-studio/templates/search', { params: { query: { query } }, signal })),
  estimate: (body: EstimateInput, signal?: AbortSignal) =>
    ok(client.POST('/api/image-studio/estimate-cost', { body, signal })),
  createAsync: (body: CreateInput) =>
    accepted(client.POST('/api/image-studio/create', { body: { ...body, async: true } })),
};

export const credits = {
  summary: () => ok(client.GET('/api/credits')),
  history: (page: number, pageSize = 25) =>
    ok(client.GET('/api/credits/history', { params: { query: { page, page_size: pageSize } } })),
};
