/**
 * Stored amounts are integers in hundredths of a credit ("units"), so sub-credit prices such as 6.5 or
 * 3.9 credits add up exactly and the balance check in SQL compares integers. 1 credit = US$0.01.
 */
export const UNITS_PER_CREDIT = 100;

export const toUnits = (credits: number): number => Math.round(credits * UNITS_PER_CREDIT);
export const toCredits = (units: number): number => units / UNITS_PER_CREDIT;
export const unitsToUsd = (units: number): number => units / (UNITS_PER_CREDIT * 100);
