import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionRules, changeActions } from '#domain/inventory/change-action';
import {
  canTransition,
  type ProductStatus,
  productStatuses,
  transition,
} from '#domain/inventory/product-status';
import { errorCode } from '../../support/domain-error.ts';

const status = fc.constantFrom<ProductStatus>(...productStatuses);

describe('product status machine', () => {
  it('goes created → active → suspended → active → terminated, and nothing leaves terminated', () => {
    let s: ProductStatus = 'created';
    for (const next of ['active', 'suspended', 'active', 'terminated'] as const)
      s = transition('p-1', s, next);
    expect(s).toBe('terminated');
    for (const next of productStatuses) expect(canTransition('terminated', next)).toBe(false);
  });

  it('refuses a transition it does not know with INVALID_STATE_TRANSITION naming both statuses', () => {
    expect(errorCode(() => transition('p-1', 'created', 'suspended'))).toBe('INVALID_STATE_TRANSITION');
    expect(errorCode(() => transition('p-1', 'terminated', 'active'))).toBe('INVALID_STATE_TRANSITION');
  });

  it('property: any sequence of requested statuses keeps the product in a reachable status, terminated forever once reached', () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 30 }), (requests) => {
        let current: ProductStatus = 'created';
        let terminated = false;
        for (const next of requests) {
          if (canTransition(current, next)) current = transition('p', current, next);
          else expect(() => transition('p', current, next)).toThrow();
          if (terminated) expect(current).toBe('terminated');
          terminated ||= current === 'terminated';
          // Never back to created once activated.
          if (next === 'created') expect(canTransition(current, next)).toBe(false);
        }
      }),
    );
  });

  it('every change action leads from the statuses it applies to through a legal transition', () => {
    for (const action of changeActions) {
      const rule = actionRules[action];
      for (const from of rule.from) {
        if (from !== rule.to) expect(canTransition(from, rule.to), `${action} from ${from}`).toBe(true);
      }
      expect(rule.from).not.toContain('terminated');
    }
  });
});
