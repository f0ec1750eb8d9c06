import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeTermsOf, earlyTerminationCharge, remainingMonths } from '#domain/inventory/change-pricing';
import type { ChangeRequest } from '#domain/inventory/change-request';
import type { CommittedPrice } from '#domain/inventory/price';

const price = (netRecurring: number, netOneTime = 0): CommittedPrice => ({
  netOneTime,
  netRecurring,
  listOneTime: netOneTime,
  listRecurring: netRecurring,
  discountPercent: 0,
});

const request = (action: ChangeRequest['action'], installed: CommittedPrice, contractEndDate?: string) => ({
  action,
  productId: 'prd-1',
  installed: {
    status: 'active' as const,
    options: { term: 24 },
    price: installed,
    ...(contractEndDate ? { contractEndDate } : {}),
  },
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-20T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('change pricing relative to the installed product', () => {
  it('a speed change pays the recurring difference and no new installation', () => {
    const terms = changeTermsOf(request('modify', price(90_000, 50_000)), price(150_000, 50_000), iso(T0));
    expect(terms.delta).toEqual({ oneTime: 0, recurring: 60_000 });
    expect(terms.earlyTerminationCharge).toBe(0);
  });

  it('a delete 10 months before the end of the term owes half of the 10 remaining months', () => {
    const end = iso(T0 + 300 * DAY);
    const terms = changeTermsOf(request('delete', price(90_000), end), price(90_000), iso(T0));
    expect(terms.delta).toEqual({ oneTime: 0, recurring: -90_000 });
    expect(terms.earlyTerminationCharge).toBe(450_000);
  });

  it('suspend and resume change no price, and a delete after the term owes nothing', () => {
    for (const action of ['suspend', 'resume'] as const) {
      const terms = changeTermsOf(
        request(action, price(90_000), iso(T0 + 100 * DAY)),
        price(90_000),
        iso(T0),
      );
      expect(terms.delta).toEqual({ oneTime: 0, recurring: 0 });
      expect(terms.earlyTerminationCharge).toBe(0);
    }
    const late = changeTermsOf(request('delete', price(90_000), iso(T0 - DAY)), price(90_000), iso(T0));
    expect(late.earlyTerminationCharge).toBe(0);
  });

  it('property: the early-termination charge is a non-negative integer, never more than the remaining charges, and falls as the end nears', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: -400, max: 1200 }),
        fc.integer({ min: 0, max: 1200 }),
        (recurring, endInDays, laterByDays) => {
          const installed = {
            price: { netRecurring: recurring },
            contractEndDate: iso(T0 + endInDays * DAY),
          };
          const now = earlyTerminationCharge(installed, iso(T0));
          const later = earlyTerminationCharge(installed, iso(T0 + laterByDays * DAY));
          expect(Number.isInteger(now)).toBe(true);
          expect(now).toBeGreaterThanOrEqual(0);
          expect(now).toBeLessThanOrEqual(remainingMonths(installed.contractEndDate, iso(T0)) * recurring);
          expect(later).toBeLessThanOrEqual(now);
          if (endInDays <= 0) expect(now).toBe(0);
        },
      ),
    );
  });

  it('property: installed price plus the recurring delta is the recurring charge after the change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('modify', 'delete', 'suspend', 'resume' as const),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (action, installed, target) => {
          const terms = changeTermsOf(request(action, price(installed)), price(target), iso(T0));
          const after = installed + terms.delta.recurring;
          const expected = action === 'modify' ? target : action === 'delete' ? 0 : installed;
          expect(after).toBe(expected);
        },
      ),
    );
  });
});
