import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '#domain/errors';
import {
  approvalDueAt,
  approvalFingerprint,
  assertApprovalAuthority,
  evaluateDealPolicy,
  type FingerprintInput,
} from '#domain/quote/approval-policy';
import { approver, ops, seller } from './cpq-fixtures.ts';

const bp = (percent: number) => Math.round(percent * 100);
const policyFor = (...percents: number[]) =>
  evaluateDealPolicy(percents.map((p, i) => ({ lineId: String(i + 1), discountBasisPoints: bp(p) })));

describe('deal-policy-1 thresholds', () => {
  it.each([0, 5, 10])('%s %% on every line is auto-approved', (percent) => {
    expect(policyFor(percent, 0)).toEqual({ outcome: 'AUTO_APPROVED', policyVersion: 'deal-policy-1' });
  });

  it.each([10.01, 25, 40])('%s %% needs approval for DISCOUNT_ABOVE_FLOOR', (percent) => {
    expect(policyFor(5, percent)).toEqual({
      outcome: 'APPROVAL_REQUIRED',
      policyVersion: 'deal-policy-1',
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
      lineIds: ['2'],
    });
  });

  it.each([40.01, 75, 100])('%s %% on any line is a violation', (percent) => {
    expect(policyFor(20, percent, 5)).toEqual({
      outcome: 'POLICY_VIOLATION',
      policyVersion: 'deal-policy-1',
      lineIds: ['2'],
    });
  });
});

const baseInput: FingerprintInput = {
  currency: 'USD',
  priceBookVersion: 'pb-2026.11.0',
  policyVersion: 'deal-policy-1',
  lines: [
    {
      lineId: '1',
      offeringId: 'off-fiber-1g',
      quantity: 1,
      options: { term: 24, install: 'standard' },
      discountBasisPoints: 1500,
    },
    { lineId: '2', offeringId: 'off-sdwan', quantity: 2, options: { sites: 3 }, discountBasisPoints: 0 },
  ],
};

type Mutation = (i: FingerprintInput) => FingerprintInput;
const onLine =
  (change: (l: FingerprintInput['lines'][number]) => FingerprintInput['lines'][number]): Mutation =>
  (i) => ({
    ...i,
    lines: i.lines.map((l, index) => (index === 0 ? change(l) : l)),
  });
const priceRelevantChanges: Record<string, Mutation> = {
  currency: (i) => ({ ...i, currency: 'EUR' }),
  priceBook: (i) => ({ ...i, priceBookVersion: 'pb-2026.12.0' }),
  unpriced: (i) => ({ ...i, priceBookVersion: null }),
  policy: (i) => ({ ...i, policyVersion: 'deal-policy-2' }),
  quantity: onLine((l) => ({ ...l, quantity: 2 })),
  discount: onLine((l) => ({ ...l, discountBasisPoints: 1501 })),
  option: onLine((l) => ({ ...l, options: { ...l.options, install: 'express' } })),
  offering: onLine((l) => ({ ...l, offeringId: 'off-security' })),
  lineDropped: (i) => ({ ...i, lines: i.lines.slice(0, 1) }),
  lineOrder: (i) => ({ ...i, lines: [...i.lines].reverse() }),
};

describe('approval fingerprint', () => {
  const base = approvalFingerprint(baseInput);

  it.each(Object.entries(priceRelevantChanges))('changes when %s changes', (_name, mutate) => {
    expect(approvalFingerprint(mutate(baseInput))).not.toBe(base);
  });

  it('does not change with key order or copies', () => {
    const reordered: FingerprintInput = {
      lines: baseInput.lines.map((l) => ({
        discountBasisPoints: l.discountBasisPoints,
        options: Object.fromEntries(Object.entries(l.options).reverse()),
        quantity: l.quantity,
        offeringId: l.offeringId,
        lineId: l.lineId,
      })),
      policyVersion: baseInput.policyVersion,
      priceBookVersion: baseInput.priceBookVersion,
      currency: baseInput.currency,
    };
    expect(approvalFingerprint(reordered)).toBe(base);
    expect(approvalFingerprint(structuredClone(baseInput))).toBe(base);
  });

  it('changes for any random discount or quantity change and only then', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 9999 }),
        (discount, quantity) => {
          const changed = onLine((l) => ({ ...l, discountBasisPoints: discount, quantity }))(baseInput);
          const same = discount === 1500 && quantity === 1;
          expect(approvalFingerprint(changed) === base).toBe(same);
        },
      ),
    );
  });
});

describe('approval authority at decision time', () => {
  const lines = [{ lineId: '1', discountBasisPoints: 2500 }];

  it('an approver within the limit may decide', () => {
    expect(() => assertApprovalAuthority(approver, lines)).not.toThrow();
    expect(() => assertApprovalAuthority({ ...approver, approvalLimitPercent: 25 }, lines)).not.toThrow();
  });

  it('a limit below the largest discount is AUTHORITY_EXCEEDED', () => {
    const error = (() => {
      try {
        assertApprovalAuthority({ ...approver, approvalLimitPercent: 24.99 }, lines);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error?.code).toBe('AUTHORITY_EXCEEDED');
    expect(error?.details).toEqual({ approvalLimitPercent: 24.99, requiredPercent: 25 });
  });

  it.each([
    ['sales', seller],
    ['ops', { ...ops, approvalLimitPercent: 100 }],
    ['approver without a limit', { ...approver, approvalLimitPercent: undefined }],
  ])('%s cannot approve', (_name, actor) => {
    expect(() => assertApprovalAuthority(actor, lines)).toThrow(
      expect.objectContaining({ code: 'AUTHORITY_EXCEEDED' }),
    );
  });

  it('due 24 h after submission', () => {
    expect(approvalDueAt('2026-11-10T09:00:00.000Z')).toBe('2026-11-11T09:00:00.000Z');
  });
});
