import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { createProviderRegistry } from '../providers/registry.ts';
import type { BillingService } from './billing.service.ts';
import { createBillingService } from './build.ts';

describe('billing with the provider registry', () => {
  let t: TestApp;
  let billing: BillingService;
  let adminId: number;
  let userId: number;

  beforeAll(async () => {
    t = await startTestApp();
    const p = t.ctx.config.providers;
    const registry = createProviderRegistry({
      ...p,
      stability: { ...p.stability, apiKey: 'sk-test' },
      wavespeed: { ...p.wavespeed, apiKey: 'ws-test' },
      huggingface: { ...p.huggingface, apiKey: 'hf-test' },
    });
    billing = createBillingService(t.ctx.db, t.ctx.config, pino({ level: 'silent' }), {
      registry,
      availability: async () => registry.availability(),
    });
    const admin = await t.ctx.auth.setup('admin@example.com', 'correct horse 1');
    adminId = admin.id;
    const actor = { id: adminId, email: admin.email, role: 'admin' as const, via: 'token' as const };
    userId = (await t.ctx.auth.createUser(actor, 'user@example.com', 'a password 123')).id;
  });
  afterAll(async () => t?.close());

  it('auto follows the registry selection, limited to providers with a key and in the plan', async () => {
    // The free plan has no Stability: premium skips Stability Ultra for the next allowed preference.
    expect(await billing.autoChoice(userId, 'create', 'premium')).toEqual({
      provider: 'wavespeed',
      model: 'ideogram-ai/ideogram-v3-quality',
    });
    expect(await billing.autoChoice(userId, 'edit.erase', 'standard')).toBeUndefined();
    expect(await billing.autoChoice(adminId, 'edit.erase', 'standard')).toEqual({
      provider: 'stability',
      model: 'erase',
    });
    // Gemini has no key here, so it is neither available nor chosen.
    expect(await billing.usableProviders(adminId)).toEqual([
      'local',
      'huggingface',
      'wavespeed',
      'stability',
    ]);
  });

  it('estimates `auto` with the registry choice and prices it from the catalogue', async () => {
    const estimate = await billing.estimate(userId, {
      provider: 'auto',
      operation: 'generate',
      num_images: 2,
      quality: 'draft',
    });
    expect(estimate).toMatchObject({
      provider: 'wavespeed',
      model: 'wavespeed-ai/qwen-image/text-to-image',
      credits_per_image: 2,
      total_credits: 4,
      auto: { provider: 'wavespeed', model: 'wavespeed-ai/qwen-image/text-to-image' },
      can_afford: true,
      within_plan: true,
    });
  });
});
