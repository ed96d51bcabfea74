export * from './assets.ts';
export * from './auth.ts';
export * from './billing.ts';
export * from './common.ts';
export * from './health.ts';
export * from './jobs.ts';
export * from './personas.ts';
export * from './templates.ts';
