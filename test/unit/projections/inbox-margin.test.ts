import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { dealMarginOf, type PricedHeader, withDealMargins } from '#domain/quote/deal-margin';
import { priceSnapshot } from '#domain/quote/pricing';

const header = (quoteId: string, netRecurring: number, marginRecurring?: number): PricedHeader => ({
  quoteId,
  version: 4,
  priceSnapshot: {
    currency: 'USD',
    totals: { netRecurring, ...(marginRecurring === undefined ? {} : { marginRecurring }) },
  },
});

describe('approval inbox margin (requirements 003 §5.1), read from the quote headers', () => {
  it('gives each row the margin of its own quote, and null where the header is missing or unpriced', () => {
    const rows = [{ quoteId: 'q-1' }, { quoteId: 'q-2' }, { quoteId: 'q-3' }, { quoteId: 'q-4' }];
    const headers = [
      header('q-2', 80_000, 12_000),
      header('q-1', 100_000, 45_500),
      { quoteId: 'q-3', version: 1 },
    ];
    expect(withDealMargins(rows, headers)).toEqual([
      {
        quoteId: 'q-1',
        margin: {
          amountMinor: 45_500,
          percent: 45.5,
          currency: 'USD',
          basis: 'MONTHLY_RECURRING',
          belowGuardrail: false,
          quoteRevision: 4,
        },
      },
      {
        quoteId: 'q-2',
        margin: {
          amountMinor: 12_000,
          percent: 15,
          currency: 'USD',
          basis: 'MONTHLY_RECURRING',
          belowGuardrail: true,
          quoteRevision: 4,
        },
      },
      { quoteId: 'q-3', margin: null },
      { quoteId: 'q-4', margin: null },
    ]);
  });

  it('is unknown (null) when an offering has no cost in the catalog, so pricing has no margin total', () => {
    expect(dealMarginOf(header('q-1', 100_000))).toBeNull();
    expect(dealMarginOf(undefined)).toBeNull();
  });

  it('takes the margin pricing computed from the catalog cost, not a figure of its own', () => {
    const snapshot = priceSnapshot(
      {
        currency: 'USD',
        lines: [
          {
            lineId: 'l1',
            offeringId: demoCatalogRelease.offerings[0]!.id,
            quantity: 3,
            options: {},
            discountBasisPoints: 1500,
          },
        ],
      },
      demoCatalogRelease,
    );
    const margin = dealMarginOf({ quoteId: 'q', version: 2, priceSnapshot: snapshot });
    expect(snapshot.totals.marginRecurring).toEqual(expect.any(Number));
    expect(margin?.amountMinor).toBe(snapshot.totals.marginRecurring);
    expect(margin?.currency).toBe('USD');
  });

  it('has no percent over a zero net price; a negative margin there is still below the guardrail', () => {
    expect(dealMarginOf(header('q', 0, -500))).toMatchObject({ percent: null, belowGuardrail: true });
    expect(dealMarginOf(header('q', 0, 0))).toMatchObject({ percent: null, belowGuardrail: false });
  });

  it('flags below the 30 % guardrail exactly as the margin exception KPI counts (margin < 0.30 × net)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.integer({ min: -(10 ** 9), max: 10 ** 9 }),
        (net, m) => {
          const margin = dealMarginOf(header('q', net, m))!;
          // margin < 0.30 × net in exact arithmetic (0.3 itself is not a float).
          expect(margin.belowGuardrail).toBe(10 * m < 3 * net);
          // Rounded to a tenth of a percent; the float error grows with the percent's size.
          const exact = (100 * m) / net;
          expect(Math.abs(margin.percent! - exact)).toBeLessThanOrEqual(
            0.05 + 1e-12 * Math.max(1, Math.abs(exact)),
          );
          expect(margin.amountMinor).toBe(m);
        },
      ),
    );
  });
});
