import { AppError, rateLimited } from '../errors.ts';

export const insufficientCredits = (details: { required: number; balance: number }) =>
  new AppError(
    402,
    'insufficient_credits',
    `This needs ${details.required} credits; your balance is ${details.balance}.`,
    { ...details, shortfall: Math.max(0, Math.round((details.required - details.balance) * 100) / 100) },
  );

export const planLimit = (
  message: string,
  details: { plan: string; limit: string; allowed: number | string[]; requested: number | string },
) => new AppError(403, 'plan_limit', message, details);

export const tooManyJobs = (perMinute: number) =>
  rateLimited(`Your plan allows ${perMinute} jobs per minute. Try again shortly.`, 60);
