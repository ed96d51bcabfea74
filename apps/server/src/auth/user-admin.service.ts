import type { AdminCreateUserBody, AdminUpdateUserBody, AdminUser } from '@studio/contracts';
import type { UserRow } from '../db/schema.ts';
import { conflict, forbidden, isAppError, notFound, unprocessable } from '../errors.ts';
import type { AuthService, AuthUser } from './auth.service.ts';
import { hashPassword } from './password.ts';
import type { SessionRepository } from './session.repository.ts';
import type { KeepAdminOutcome, UserChange, UserRepository } from './user.repository.ts';

type PlanId = AdminUser['plan'];

/** What the admin screens need of billing (BillingService in the app). */
export interface UserBilling {
  summary(userId: number): Promise<{ balance: number; plan: { id: PlanId } }>;
  setPlan(actor: AuthUser, userId: number, plan: PlanId): Promise<unknown>;
}

/** What deleting a user needs of the library (TrashService in the app). */
export interface UserAssetPurger {
  purgeAllOf(userId: number): Promise<number>;
}

/** What deleting a user needs of the jobs (JobService in the app). */
export interface UserJobs {
  list(userId: number, filter: 'active', limit: number): Promise<{ id: string }[]>;
  cancel(userId: number, jobId: string): Promise<unknown>;
}

export interface UserAdminDeps {
  users: UserRepository;
  sessions: SessionRepository;
  auth: AuthService;
  billing: UserBilling;
  library: UserAssetPurger;
  jobs: UserJobs;
  clock?: () => Date;
}

const lastAdmin = () =>
  conflict('last_admin', 'This is the last active admin. Make another user admin first.');

/** An admin's view of the accounts: list, create, disable, delete, reset a password, change role. */
export class UserAdminService {
  private readonly clock: () => Date;

  constructor(private readonly deps: UserAdminDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async list(actor: AuthUser): Promise<AdminUser[]> {
    requireAdmin(actor);
    const rows = await this.deps.users.list();
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async create(actor: AuthUser, body: AdminCreateUserBody): Promise<AdminUser> {
    requireAdmin(actor);
    const user = await this.deps.auth.createUser(actor, body.email, body.password);
    if (body.role === 'admin') {
      await this.change(user.id, { role: 'admin' });
    }
    if (body.plan) {
      await this.deps.billing.setPlan(actor, user.id, body.plan);
    }
    return this.get(user.id);
  }

  /** Disabling ends the user's sessions now; their tokens stop working while they stay disabled. */
  async update(actor: AuthUser, id: number, body: AdminUpdateUserBody): Promise<AdminUser> {
    requireAdmin(actor);
    const row = await this.get(id);
    const change: UserChange = {};
    if (body.role !== undefined) change.role = body.role;
    if (body.disabled !== undefined && body.disabled !== row.disabled) {
      change.disabled_at = body.disabled ? this.now() : null;
    }
    await this.change(id, change);
    if (body.disabled) {
      await this.deps.sessions.deleteForUser(id);
    }
    return this.get(id);
  }

  /** Sets a new password and ends the user's sessions; their API tokens keep working. */
  async resetPassword(actor: AuthUser, id: number, password: string): Promise<void> {
    requireAdmin(actor);
    if (!(await this.deps.users.setPassword(id, await hashPassword(password), this.now()))) {
      throw notFound('User');
    }
    await this.deps.sessions.deleteForUser(id);
  }

  /**
   * Deletes the user with their assets and blobs. `confirm` must be their email. The user is
   * disabled first (guarded like any disable), so the last admin is refused before anything is lost
   * and the user cannot start new work while their assets are purged.
   */
  async delete(actor: AuthUser, id: number, confirm: string): Promise<void> {
    requireAdmin(actor);
    const row = await this.deps.users.findById(id);
    if (!row) {
      throw notFound('User');
    }
    if (confirm !== row.email) {
      throw unprocessable('confirmation_mismatch', `Type the user's email (${row.email}) to confirm.`);
    }
    await this.change(id, { disabled_at: row.disabled_at ?? this.now() });
    await this.deps.sessions.deleteForUser(id);
    await this.cancelJobs(id);
    await this.deps.library.purgeAllOf(id);
    await this.deps.users.delete(id);
  }

  /** A job left running would save its result after its owner's library was purged. */
  private async cancelJobs(userId: number): Promise<void> {
    for (const job of await this.deps.jobs.list(userId, 'active', 100)) {
      try {
        await this.deps.jobs.cancel(userId, job.id);
      } catch (e) {
        // Already saving: its rows go with the user's, and the orphan sweep takes any blob left.
        if (!(isAppError(e) && e.code === 'job_finishing')) throw e;
      }
    }
  }

  private async change(id: number, change: UserChange): Promise<void> {
    const outcome: KeepAdminOutcome = await this.deps.users.updateKeepingAnAdmin(id, change, this.now());
    if (outcome === 'not_found') throw notFound('User');
    if (outcome === 'last_admin') throw lastAdmin();
  }

  private async get(id: number): Promise<AdminUser> {
    const row = await this.deps.users.findById(id);
    if (!row) {
      throw notFound('User');
    }
    return this.view(row);
  }

  private async view(row: UserRow): Promise<AdminUser> {
    const credits = await this.deps.billing.summary(row.id);
    return {
      id: row.id,
      email: row.email,
      role: row.role,
      disabled: row.disabled_at !== null,
      created_at: row.created_at,
      plan: credits.plan.id,
      balance: credits.balance,
    };
  }
}

function requireAdmin(actor: AuthUser): void {
  if (actor.role !== 'admin') {
    throw forbidden('Only an admin can manage users.');
  }
}
