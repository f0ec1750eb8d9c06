import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterEvent, deliveryBudget, gateOf, healthy } from '#domain/notification/delivery-budget';
import { assertSubscriptionRoom } from '#domain/notification/hub';

const t0 = '2026-12-01T00:00:00.000Z';
const plus = (ms: number) => new Date(Date.parse(t0) + ms).toISOString();

describe('hub delivery budget', () => {
  it('a failed event backs the subscription off, doubling up to the maximum; a delivered one resets it', () => {
    const once = afterEvent(healthy, false, t0);
    expect(once).toMatchObject({ consecutiveFailures: 1, backoffUntil: plus(deliveryBudget.backoffBaseMs) });
    expect(gateOf(once, plus(deliveryBudget.backoffBaseMs - 1))).toBe('backoff');
    expect(gateOf(once, plus(deliveryBudget.backoffBaseMs))).toBe('deliver');
    const twice = afterEvent(once, false, t0);
    expect(twice.backoffUntil).toBe(plus(2 * deliveryBudget.backoffBaseMs));
    expect(afterEvent(twice, true, t0)).toEqual(healthy);
  });

  it('after repeated failure it is suspended and stays so, whatever time passes', () => {
    fc.assert(
      fc.property(fc.nat(10 ** 9), (later) => {
        let health = healthy;
        for (let i = 0; i < deliveryBudget.suspendAfterFailures; i++) health = afterEvent(health, false, t0);
        expect(health.suspendedAt).toBe(t0);
        expect(gateOf(health, plus(later))).toBe('suspended');
      }),
    );
  });

  it('one event costs a subscription at most attempts × timeout plus the pauses between them', () => {
    expect(deliveryBudget.attemptsPerEvent * deliveryBudget.timeoutMs).toBeLessThanOrEqual(10_000);
    expect(deliveryBudget.subscriptionsPerChannel).toBeLessThanOrEqual(10);
  });

  it('the domain refuses a subscription beyond the budget with 422 SUBSCRIPTION_LIMIT', () => {
    const n = deliveryBudget.subscriptionsPerChannel;
    expect(() => assertSubscriptionRoom(n - 1)).not.toThrow();
    let refused: unknown;
    try {
      assertSubscriptionRoom(n);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', status: 422, details: { limit: 10 } });
  });
});
