import { Job, JobIdParam, JobList, JobListQuery } from '@studio/contracts';
import type { Context } from '../context.ts';
import { rateLimited } from '../errors.ts';
import { StreamSlots } from '../http/stream-slots.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import { TERMINAL } from '../jobs/job.types.ts';

const HEARTBEAT_MS = 15_000;

export function jobRoutes(app: StudioApp, ctx: Context): void {
  const { maxPerUser, maxMs } = ctx.config.jobStreams;
  const slots = new StreamSlots(maxPerUser);

  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: "The caller's newest jobs (the jobs tray after a reload)",
        querystring: JobListQuery,
        response: { 200: JobList },
      },
    },
    async (request) => ({
      jobs: await ctx.jobs.list(userOf(request).id, request.query.status, request.query.limit),
    }),
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A job and, once done, its result',
        params: JobIdParam,
        response: { 200: Job },
      },
    },
    async (request) => ctx.jobs.get(userOf(request).id, request.params.id),
  );

  app.post(
    '/api/jobs/:id/cancel',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a queued or running job',
        params: JobIdParam,
        response: { 200: Job },
      },
    },
    async (request) => ctx.jobs.cancel(userOf(request).id, request.params.id),
  );

  app.get(
    '/api/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        summary:
          'Server-sent events: `status` events with {id, status, progress, message}; ends when the job ends ' +
          'or after SSE_MAX_STREAM_SECONDS (reconnect to go on); 429 beyond SSE_MAX_STREAMS_PER_USER open streams',
        params: JobIdParam,
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const row = await ctx.jobs.owned(user.id, request.params.id);
      const release = slots.take(user.id);
      if (!release) {
        throw rateLimited(
          `You have ${maxPerUser} job streams open already. Close one, or poll GET /api/jobs/{id}.`,
          5,
        );
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      const send = (data: unknown) => raw.write(`event: status\ndata: ${JSON.stringify(data)}\n\n`);
      let closed = false;
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      // A bounded life: the browser reconnects, so a stream never outlives its caller's session.
      const timeout = setTimeout(() => finish(), maxMs);
      const finish = () => {
        if (closed) {
          return;
        }
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(timeout);
        unsubscribe();
        release();
        raw.end();
      };
      const unsubscribe = ctx.jobs.subscribe(row.id, (event) => {
        send(event);
        if (TERMINAL.has(event.status)) {
          finish();
        }
      });
      request.raw.on('close', finish);
      // Read again after subscribing: a transition between the first read and the subscription
      // would otherwise be lost.
      const current = await ctx.jobs.owned(user.id, row.id);
      send({ id: current.id, status: current.status, progress: current.progress });
      if (TERMINAL.has(current.status)) {
        finish();
      }
    },
  );
}
