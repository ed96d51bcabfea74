import {
  ControlImageRequest,
  ControlOperationsResponse,
  EditImageResponse,
  JobAccepted,
} from '@studio/contracts';
import type { FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import type { ControlUploads } from '../control/control.service.ts';
import { CONTROL_OPERATIONS } from '../control/operations.ts';
import { cheapest, providerOptions } from '../edit/operation-listing.ts';
import { multipartBody, uploadedFile } from '../http/multipart.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import type { ControlOp } from '../providers/types.ts';
import { presentResult } from '../studio/studio-result.ts';
import { jobAccepted } from './job-accepted.ts';

/** Multipart: the control image as `file` (or `control_image`), the style image as `style_image`. */
const controlMultipart = multipartBody();

/** The file parts' bytes, handed to the ingest path as they are (not as base64 to decode again). */
const controlUploads = (request: FastifyRequest): ControlUploads => ({
  control: (uploadedFile(request, 'file') ?? uploadedFile(request, 'control_image'))?.bytes,
  style: uploadedFile(request, 'style_image')?.bytes,
});

/** Control Studio: Stability control endpoints, every run a job and an asset. */
export function controlRoutes(app: StudioApp, ctx: Context): void {
  const schema = {
    tags: ['control'],
    summary: 'Generate guided by a sketch, structure, style reference or style transfer',
    body: ControlImageRequest,
    response: { 200: EditImageResponse, 202: JobAccepted },
  };
  for (const url of ['/api/image-studio/control', '/api/image-studio/control/process']) {
    app.post(
      url,
      { schema, config: { imageBody: true }, preValidation: controlMultipart },
      async (request, reply) => {
        const user = userOf(request);
        const input = await ctx.control.prepare(user.id, request.body, controlUploads(request));
        if (request.body.async) {
          const job = await ctx.jobs.submit(user.id, 'control', input);
          return reply.status(202).send(jobAccepted(job.id, job.status, await ctx.jobs.waiting(job)));
        }
        const { job, result } = await ctx.jobs.run(user.id, 'control', input);
        return presentResult(ctx.studioIo, user.id, job.id, result);
      },
    );
  }

  app.get(
    '/api/image-studio/control/operations',
    {
      schema: {
        tags: ['control'],
        summary: "Each control operation's fields and defaults, who can run it, price",
        response: { 200: ControlOperationsResponse },
      },
    },
    async (request) => {
      const available = await ctx.providerKeys.availability(userOf(request).id);
      const operations = Object.fromEntries(
        Object.entries(CONTROL_OPERATIONS).map(([key, spec]) => {
          const providers = providerOptions([`control.${key as ControlOp}`], available);
          const entry = {
            label: spec.label,
            description: spec.description,
            provider: 'stability',
            fields: spec.fields,
            required: [...spec.required],
            defaults: { ...spec.defaults },
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
