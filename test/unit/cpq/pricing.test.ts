import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { DomainError } from '#domain/errors';
import { configureLinesOrThrow, type LineRequest } from '#domain/quote/configuration';
import { type PricingInput, priceSnapshot } from '#domain/quote/pricing';
import { decemberRelease } from './cpq-fixtures.ts';

const input = (lines: LineRequest[], currency = 'USD'): PricingInput => ({
  currency,
  lines: configureLinesOrThrow(lines, demoCatalogRelease).map(
    ({ lineId, offeringId, quantity, options, discountBasisPoints }) => ({
      lineId,
      offeringId,
      quantity,
      options,
      discountBasisPoints,
    }),
  ),
});

const mixedQuote: LineRequest[] = [
  {
    lineId: '1',
    offeringId: 'off-fiber-1g',
    quantity: 2,
    options: { term: 24, install: 'express' },
    discountPercent: 15,
  },
  { lineId: '2', offeringId: 'off-sdwan', quantity: 2, options: { sites: 3 }, discountPercent: 10.01 },
  { lineId: '3', offeringId: 'off-security', quantity: 1, options: {} },
  { lineId: '4', offeringId: 'off-static-ip', quantity: 3, options: { size: 8 }, discountPercent: 33.33 },
];

describe('priceSnapshot waterfall', () => {
  const snapshot = priceSnapshot(input(mixedQuote), demoCatalogRelease);

  it('prices fiber with the express one-time override and discounts only the recurring charge', () => {
    expect(snapshot.lines[0]).toEqual({
      lineId: '1',
      offeringId: 'off-fiber-1g',
      chargeQuantity: 2,
      unitListOneTime: 120_000,
      unitListRecurring: 90_000,
      listOneTime: 240_000,
      listRecurring: 180_000,
      discountPercent: 15,
      discountOneTime: 0,
      discountRecurring: 27_000,
      netOneTime: 240_000,
      netRecurring: 153_000,
      marginRecurring: 153_000 - 108_000,
    });
  });

  it('prices SD-WAN per site times line quantity', () => {
    const sdwan = snapshot.lines[1]!;
    expect(sdwan.chargeQuantity).toBe(6);
    expect(sdwan.listRecurring).toBe(90_000);
    expect(sdwan.discountRecurring).toBe(9009); // 90 000 x 10.01 % = 9009
    expect(sdwan.netRecurring).toBe(80_991);
  });

  it('rounds each line discount half-up once', () => {
    const staticIp = snapshot.lines[3]!;
    expect(staticIp.listRecurring).toBe(12_000);
    expect(staticIp.discountRecurring).toBe(4000); // 12 000 x 33.33 % = 3999.6 -> 4000
  });

  it('uses the standard one-time price when install defaults', () => {
    const standard = priceSnapshot(
      input([{ lineId: '1', offeringId: 'off-fiber-1g', quantity: 1, options: { term: 12 } }]),
      demoCatalogRelease,
    );
    expect(standard.lines[0]!.listOneTime).toBe(50_000);
  });

  it('totals are the plain sums of the lines', () => {
    const sum = (k: 'listRecurring' | 'discountRecurring' | 'netRecurring' | 'netOneTime' | 'listOneTime') =>
      snapshot.lines.reduce((t, l) => t + l[k], 0);
    expect(snapshot.totals).toEqual({
      listOneTime: sum('listOneTime'),
      listRecurring: sum('listRecurring'),
      discountOneTime: 0,
      discountRecurring: sum('discountRecurring'),
      netOneTime: sum('netOneTime'),
      netRecurring: sum('netRecurring'),
      marginRecurring: snapshot.lines.reduce((t, l) => t + (l.marginRecurring ?? 0), 0),
    });
    expect(snapshot.totals.netRecurring).toBe(153_000 + 80_991 + 30_000 + 8_000);
  });

  it('carries versions, policy and an ordered calculation trace', () => {
    expect(snapshot).toMatchObject({
      currency: 'USD',
      catalogVersion: 'cat-2026.11.0',
      priceBookVersion: 'pb-2026.11.0',
      policyVersion: 'deal-policy-1',
    });
    expect(snapshot.inputHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(snapshot.trace.map((s) => `${s.step}:${s.lineId ?? ''}`)).toEqual([
      'LIST_PRICE:1',
      'DISCOUNT:1',
      'NET:1',
      'LIST_PRICE:2',
      'DISCOUNT:2',
      'NET:2',
      'LIST_PRICE:3',
      'DISCOUNT:3',
      'NET:3',
      'LIST_PRICE:4',
      'DISCOUNT:4',
      'NET:4',
      'TOTALS:',
    ]);
  });

  it('refuses a currency the price book does not use', () => {
    expect(() => priceSnapshot(input(mixedQuote, 'EUR'), demoCatalogRelease)).toThrow(DomainError);
  });

  it('changes price and input hash on another price book', () => {
    const december = priceSnapshot(input(mixedQuote), decemberRelease);
    expect(december.lines[0]!.listRecurring).toBe(190_000);
    expect(december.inputHash).not.toBe(snapshot.inputHash);
    expect(december.priceBookVersion).toBe('pb-2026.12.0');
  });
});

const arbitraryLine = fc.oneof(
  fc.record({
    offeringId: fc.constant('off-fiber-1g'),
    quantity: fc.integer({ min: 1, max: 9999 }),
    options: fc.record({
      term: fc.constantFrom(12, 24, 36),
      install: fc.constantFrom('standard', 'express'),
    }),
    discountPercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
  }),
  fc.record({
    offeringId: fc.constant('off-sdwan'),
    quantity: fc.integer({ min: 1, max: 9999 }),
    options: fc.record({ sites: fc.integer({ min: 1, max: 50 }) }),
    discountPercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
  }),
  fc.record({
    offeringId: fc.constant('off-security'),
    quantity: fc.integer({ min: 1, max: 9999 }),
    options: fc.constant({}),
    discountPercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
  }),
);

/** Random valid quotes: a fiber line first satisfies every `requires`. */
const arbitraryQuote = fc.array(arbitraryLine, { minLength: 0, maxLength: 6 }).map((rest): LineRequest[] =>
  [{ offeringId: 'off-fiber-1g', quantity: 1, options: { term: 12 } }, ...rest].map((l, i) => ({
    ...l,
    lineId: String(i + 1),
  })),
);

describe('pricing properties', () => {
  it('same inputs give a byte-identical snapshot', () => {
    fc.assert(
      fc.property(arbitraryQuote, (lines) => {
        const first = JSON.stringify(priceSnapshot(input(lines), demoCatalogRelease));
        const again = JSON.stringify(priceSnapshot(input(structuredClone(lines)), demoCatalogRelease));
        expect(again).toBe(first);
      }),
    );
  });

  it('totals equal the sum of lines and every line is list minus discount', () => {
    fc.assert(
      fc.property(arbitraryQuote, (lines) => {
        const snapshot = priceSnapshot(input(lines), demoCatalogRelease);
        let netRecurring = 0;
        let netOneTime = 0;
        for (const l of snapshot.lines) {
          expect(l.netRecurring).toBe(l.listRecurring - l.discountRecurring);
          expect(l.netOneTime).toBe(l.listOneTime);
          expect(Number.isSafeInteger(l.netRecurring) && l.netRecurring >= 0).toBe(true);
          netRecurring += l.netRecurring;
          netOneTime += l.netOneTime;
        }
        expect(snapshot.totals.netRecurring).toBe(netRecurring);
        expect(snapshot.totals.netOneTime).toBe(netOneTime);
      }),
    );
  });

  it('the input hash changes whenever a price-relevant input changes', () => {
    fc.assert(
      fc.property(arbitraryQuote, fc.integer({ min: 1, max: 100 }), (lines, bump) => {
        const base = priceSnapshot(input(lines), demoCatalogRelease).inputHash;
        const last = lines[lines.length - 1]!;
        const moreQuantity = [
          ...lines.slice(0, -1),
          { ...last, quantity: ((last.quantity + bump - 1) % 9999) + 1 },
        ];
        const changed = moreQuantity[moreQuantity.length - 1]!.quantity !== last.quantity;
        const hash = priceSnapshot(input(moreQuantity), demoCatalogRelease).inputHash;
        expect(hash !== base).toBe(changed);
      }),
    );
  });
});
