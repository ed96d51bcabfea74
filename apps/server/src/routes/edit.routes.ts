import { EditImageRequest, EditImageResponse, EditOperationsResponse, JobAccepted } from '@studio/contracts';
import type { FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import type { EditUploads } from '../edit/edit-checks.ts';
import { cheapest, providerOptions } from '../edit/operation-listing.ts';
import { EDIT_OPERATIONS, fieldFlags } from '../edit/operations.ts';
import { multipartBody, uploadedFile } from '../http/multipart.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import type { EditOp } from '../providers/types.ts';
import { presentResult } from '../studio/studio-result.ts';
import { jobAccepted } from './job-accepted.ts';

/** Multipart: the image as `file` (or `image`), plus `mask`, `background_image`, `lighting_image` parts. */
const editMultipart = multipartBody();

/** The file parts' bytes, handed to the ingest path as they are (not as base64 to decode again). */
const editUploads = (request: FastifyRequest): EditUploads => ({
  image: (uploadedFile(request, 'file') ?? uploadedFile(request, 'image'))?.bytes,
  mask: uploadedFile(request, 'mask')?.bytes,
  background: uploadedFile(request, 'background_image')?.bytes,
  lighting: uploadedFile(request, 'lighting_image')?.bytes,
});

/** Edit Studio: every operation as a job; results are assets whose parent is the input. */
export function editRoutes(app: StudioApp, ctx: Context): void {
  const schema = {
    tags: ['edit'],
    summary: 'Edit an image (background removal, inpaint, outpaint, erase, recolor, relight, …)',
    description:
      'Local where the operation can run on this server (no key needed), otherwise through the ' +
      'cloud providers with fallback. Waits for the result unless `async` is true (202 with the job).',
    body: EditImageRequest,
    response: { 200: EditImageResponse, 202: JobAccepted },
  };
  for (const url of ['/api/image-studio/edit', '/api/image-studio/edit/process']) {
    app.post(
      url,
      { schema, config: { imageBody: true }, preValidation: editMultipart },
      async (request, reply) => {
        const user = userOf(request);
        const input = await ctx.edit.prepare(user.id, request.body, editUploads(request));
        if (request.body.async) {
          const job = await ctx.jobs.submit(user.id, 'edit', input);
          return reply.status(202).send(jobAccepted(job.id, job.status, await ctx.jobs.waiting(job)));
        }
        const { job, result } = await ctx.jobs.run(user.id, 'edit', input);
        return presentResult(ctx.studioIo, user.id, job.id, result);
      },
    );
  }

  app.get(
    '/api/image-studio/edit/operations',
    {
      schema: {
        tags: ['edit'],
        summary: "Each operation's fields, who can run it (and whether you can now), async or not, price",
        response: { 200: EditOperationsResponse },
      },
    },
    async (request) => {
      const available = await ctx.providerKeys.availability(userOf(request).id);
      const operations = Object.fromEntries(
        Object.entries(EDIT_OPERATIONS).map(([key, spec]) => {
          const op = key as EditOp;
          const cloudOps =
            op === 'replace_background' ? (['edit.remove_background'] as const) : ([`edit.${op}`] as const);
          const providers = providerOptions(
            cloudOps,
            available,
            spec.local && spec.localModel ? { model: spec.localModel, when: spec.local } : undefined,
          );
          const entry = {
            label: spec.label,
            description: spec.description,
            provider: spec.seedProvider,
            async: spec.async,
            fields: fieldFlags(spec),
            required: [...spec.required],
            providers,
            available: providers.some((p) => p.available),
            price_credits: cheapest(providers),
          };
          return [key, entry] as const;
        }),
      );
      return { operations };
    },
  );
}
