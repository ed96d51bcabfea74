import { Health } from '@studio/contracts';
import type { Context } from '../context.ts';
import type { StudioApp } from '../http/types.ts';

const VERSION = '1.0.0';

async function probe(fn: () => Promise<void>): Promise<{ status: 'ok' | 'error'; error?: string }> {
  try {
    await fn();
    return { status: 'ok' };
  } catch (e) {
    return { status: 'error', error: e instanceof Error ? e.message : String(e) };
  }
}

export function healthRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/image-studio/health',
    {
      config: { public: true },
      schema: {
        tags: ['utility'],
        summary: 'Service status; database, storage, modules and versions for signed-in callers',
        response: { 200: Health },
      },
    },
    async (request) => {
      const [database, storage] = await Promise.all([
        probe(() => ctx.db.ping()),
        probe(() => ctx.blobs.ping()),
      ]);
      const needsSetup = database.status === 'ok' ? await ctx.auth.needsSetup() : false;
      const status =
        database.status === 'ok' && storage.status === 'ok' ? ('healthy' as const) : ('degraded' as const);
      // Versions, backends and error texts help an attacker more than a load balancer: signed-in only.
      if (!request.user) {
        return { status, service: 'image_studio' as const, needs_setup: needsSetup };
      }
      return {
        status,
        service: 'image_studio' as const,
        version: VERSION,
        // The original's four modules, then the studios it listed elsewhere; the web dashboard reads them.
        modules: {
          create_studio: 'available',
          templates: 'available',
          providers: 'available',
          compression: 'available',
          edit_studio: 'available',
          upscale_studio: 'available',
          control_studio: 'available',
          social_optimizer: 'available',
        },
        database: { ...database, dialect: ctx.db.dialect },
        storage: { ...storage, kind: ctx.blobs.kind },
        jobs: { runner: ctx.jobRunner.kind },
        needs_setup: needsSetup,
      };
    },
  );
}
