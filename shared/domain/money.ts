/**
 * Money is an integer number of minor units (cents for USD) of the quote's currency, held in a
 * plain `number`. Discounts are held in basis points (1 % = 100 bp), so a percent may carry at
 * most two decimals.
 *
 * Rounding rule, applied only in `discountAmount`: a discount is computed once per price
 * component (one-time, monthly recurring) per line, on that component's extended list amount
 * (unit price × charge quantity), as amount × bp / 10 000 rounded half-up to a whole minor unit.
 * Net = list − discount. Totals are plain sums of the line amounts and are never rounded again,
 * so a total always equals the sum of its lines, and billing can recompute every line exactly.
 */
export type Minor = number;

export const BASIS_POINTS_PER_PERCENT = 100;
export const FULL_BASIS_POINTS = 10_000;

export const isMinor = (value: unknown): value is Minor =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Basis points for a percent in 0..100 with at most two decimals, otherwise `null`. */
export function basisPointsFromPercent(percent: number): number | null {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) return null;
  const scaled = percent * BASIS_POINTS_PER_PERCENT;
  const basisPoints = Math.round(scaled);
  // Tolerates binary noise such as 10.01 * 100 = 1000.9999999999999, rejects a third decimal.
  return Math.abs(scaled - basisPoints) < 1e-6 ? basisPoints : null;
}

export const percentFromBasisPoints = (basisPoints: number): number => basisPoints / BASIS_POINTS_PER_PERCENT;

/** The extended amount of a unit price; throws when the result leaves the safe integer range. */
export function extend(unitMinor: Minor, quantity: number): Minor {
  const amount = unitMinor * quantity;
  if (!isMinor(amount)) throw new RangeError(`amount ${unitMinor} x ${quantity} is not a safe minor amount`);
  return amount;
}

/** The discount on one price component of one line: the project's single rounding point. */
export function discountAmount(amountMinor: Minor, basisPoints: number): Minor {
  if (!isMinor(amountMinor)) throw new RangeError(`amount ${amountMinor} is not a minor amount`);
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > FULL_BASIS_POINTS) {
    throw new RangeError(`basis points ${basisPoints} out of range`);
  }
  // BigInt keeps amount × bp exact beyond 2^53; adding half the divisor then flooring is half-up.
  const full = BigInt(FULL_BASIS_POINTS);
  return Number((BigInt(amountMinor) * BigInt(basisPoints) + full / 2n) / full);
}

export const sumMinor = (amounts: readonly Minor[]): Minor => amounts.reduce((total, a) => total + a, 0);

const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'CLP', 'VND', 'ISK']);

/** TMF Money carries major units; the domain keeps integer minor units. */
export const tmfMoney = (minor: Minor, currency: string) => ({
  unit: currency,
  value: ZERO_DECIMAL_CURRENCIES.has(currency) ? minor : minor / 100,
});
