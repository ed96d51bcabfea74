import type { JobStatus } from '../db/schema.ts';
import type { BillingServiceDeps } from './billing-deps.ts';
import type { Charging } from './charging.ts';
import { toCredits } from './money.ts';

/** Reservations whose job can no longer settle them itself (a restart, a worker that died). */
export class ChargeRecovery {
  constructor(
    private readonly deps: BillingServiceDeps,
    private readonly charging: Charging,
  ) {}

  /**
   * After a restart (called once the job service has recovered): settles every held reservation whose
   * job is over (see `settleAbandoned`). Jobs still queued or running keep theirs.
   */
  async reconcile(): Promise<{ released: number; captured: number }> {
    let released = 0;
    let captured = 0;
    for (const open of await this.deps.repo.openReservations()) {
      const outcome = await this.settle(open.job_id, open.job_status);
      if (outcome === 'released') released++;
      if (outcome === 'captured') captured++;
    }
    if (released + captured > 0) {
      this.deps.log?.warn({ released, captured }, 'reconciled credit reservations left by a previous run');
    }
    return { released, captured };
  }

  /**
   * Settles one job's held reservation once the job can no longer do it itself (a worker died):
   * released when the job failed, was canceled or interrupted, or no longer exists; captured at the
   * reserved amount when the job succeeded (its result was delivered) but the capture never ran.
   */
  async settleAbandoned(jobId: string): Promise<'released' | 'captured' | 'kept'> {
    const open = (await this.deps.repo.openReservations(jobId))[0];
    return open ? this.settle(open.job_id, open.job_status) : 'kept';
  }

  private async settle(
    jobId: string,
    jobStatus: JobStatus | null,
  ): Promise<'released' | 'captured' | 'kept'> {
    if (jobStatus === 'succeeded') {
      const row = await this.deps.repo.reservation(jobId);
      await this.charging.capture(
        jobId,
        toCredits(row?.amount ?? 0),
        'job succeeded; captured on reconciliation',
      );
      return 'captured';
    }
    if (jobStatus === null || jobStatus === 'failed' || jobStatus === 'canceled') {
      await this.charging.release(
        jobId,
        jobStatus === null ? 'job no longer exists' : `job ${jobStatus}; released on reconciliation`,
      );
      return 'released';
    }
    return 'kept';
  }
}
