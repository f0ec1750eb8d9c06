import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basisPointsFromPercent,
  discountAmount,
  extend,
  percentFromBasisPoints,
  sumMinor,
} from '#domain/money';

describe('basisPointsFromPercent', () => {
  it.each([
    [0, 0],
    [10, 1000],
    [10.01, 1001],
    [40, 4000],
    [40.01, 4001],
    [33.33, 3333],
    [0.07, 7],
    [100, 10_000],
  ])('%s %% is %s bp', (percent, bp) => {
    expect(basisPointsFromPercent(percent)).toBe(bp);
  });

  it.each([10.015, 0.001, -0.01, 100.01, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (percent) => {
    expect(basisPointsFromPercent(percent)).toBeNull();
  });

  it('round-trips every two-decimal percent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        expect(basisPointsFromPercent(percentFromBasisPoints(bp))).toBe(bp);
      }),
    );
  });
});

describe('discountAmount rounds half-up once, to a whole minor unit', () => {
  it.each([
    [1, 5000, 1], // 0.5 -> 1
    [3, 5000, 2], // 1.5 -> 2
    [1, 4999, 0], // 0.4999 -> 0
    [101, 50, 1], // 0.505 -> 1
    [333, 1550, 52], // 51.615 -> 52
    [90_000, 1001, 9009],
    [180_000, 1500, 27_000],
    [99, 1250, 12], // 12.375 -> 12
    [0, 4000, 0],
    [12_345, 10_000, 12_345],
  ])('%s at %s bp is %s', (amount, bp, expected) => {
    expect(discountAmount(amount, bp)).toBe(expected);
  });

  it('is exact where amount x bp exceeds 2^53', () => {
    const amount = 2 ** 50 + 1; // odd, so 50 % leaves exactly .5
    expect(discountAmount(amount, 5000)).toBe(2 ** 49 + 1);
  });

  it('matches the exact rational half-up reference and stays within 0..amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: 0, max: 10_000 }),
        (amount, bp) => {
          const d = discountAmount(amount, bp);
          const exactTwice = BigInt(amount) * BigInt(bp) * 2n; // 2 x amount x bp, compared in 1/20000 units
          expect(BigInt(d) * 20_000n <= exactTwice + 10_000n).toBe(true);
          expect(BigInt(d) * 20_000n > exactTwice - 10_000n).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(amount);
        },
      ),
    );
  });

  it('rejects non-minor amounts and out-of-range basis points', () => {
    expect(() => discountAmount(1.5, 100)).toThrow(RangeError);
    expect(() => discountAmount(-1, 100)).toThrow(RangeError);
    expect(() => discountAmount(100, 10_001)).toThrow(RangeError);
    expect(() => discountAmount(100, 1.5)).toThrow(RangeError);
  });
});

describe('extend and sumMinor', () => {
  it('multiplies and sums integers', () => {
    expect(extend(15_000, 6)).toBe(90_000);
    expect(sumMinor([1, 2, 3])).toBe(6);
    expect(sumMinor([])).toBe(0);
  });

  it('refuses amounts outside the safe integer range', () => {
    expect(() => extend(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });
});
