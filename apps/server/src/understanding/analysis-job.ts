import { z } from 'zod';
import type { JobRegistry } from '../jobs/job-registry.ts';
import type { UnderstandingService } from './understanding.service.ts';

/**
 * `library.analyze`: the backfill of images saved before analysis existed (or while it was off).
 * Local and safe to run again after a crash: finished images are skipped.
 */
export function registerAnalysisJob(registry: JobRegistry, understanding: UnderstandingService): void {
  registry.register({
    type: 'library.analyze',
    input: z.object({}),
    run: (job) => understanding.backfill(job),
    local: () => true,
  });
}
