import type { ProviderId } from '../providers/types.ts';

export const PLAN_IDS = ['free', 'basic', 'pro', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface Plan {
  id: PlanId;
  label: string;
  /** Credits added at the first billable use of each calendar month (UTC); 1 credit = US$0.01. */
  monthlyCredits: number;
  /** Most images one request may produce (Create variations, batch size). */
  maxVariations: number;
  /** Longest output side in pixels. */
  maxSide: number;
  providers: readonly ProviderId[];
  /** Billable jobs a user may start per minute (reservations counted over the last 60 s). */
  jobsPerMinute: number;
  /** Bytes of images a user may keep (trash included; identical images counted once). */
  storageBytes: number;
}

const GIB = 1024 ** 3;

/**
 * The plans. Monthly credits follow the original's monthly cost limits ($2 / $25 / $100 / $500,
 * seed-facts §8.3); a limit of 0 never means "unlimited" here.
 */
export const PLANS: Readonly<Record<PlanId, Plan>> = {
  free: {
    id: 'free',
    label: 'Free',
    monthlyCredits: 200,
    maxVariations: 2,
    maxSide: 2048,
    providers: ['local', 'huggingface', 'wavespeed'],
    jobsPerMinute: 10,
    storageBytes: GIB,
  },
  basic: {
    id: 'basic',
    label: 'Basic',
    monthlyCredits: 2_500,
    maxVariations: 4,
    maxSide: 4096,
    providers: ['local', 'huggingface', 'wavespeed', 'gemini', 'stability'],
    jobsPerMinute: 30,
    storageBytes: 10 * GIB,
  },
  pro: {
    id: 'pro',
    label: 'Pro',
    monthlyCredits: 10_000,
    maxVariations: 10,
    maxSide: 8192,
    providers: ['local', 'huggingface', 'wavespeed', 'gemini', 'stability'],
    jobsPerMinute: 60,
    storageBytes: 100 * GIB,
  },
  enterprise: {
    id: 'enterprise',
    label: 'Enterprise',
    monthlyCredits: 50_000,
    maxVariations: 10,
    maxSide: 16_384,
    providers: ['local', 'huggingface', 'wavespeed', 'gemini', 'stability'],
    jobsPerMinute: 300,
    storageBytes: 1024 * GIB,
  },
};

/** The plan an account starts on: the admin who set the studio up runs it, everyone else starts free. */
export const DEFAULT_PLANS: Readonly<Record<'admin' | 'user', PlanId>> = {
  admin: 'enterprise',
  user: 'free',
};

export const isPlanId = (value: string): value is PlanId => (PLAN_IDS as readonly string[]).includes(value);
