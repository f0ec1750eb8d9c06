/**
 * Outbound work one request can cause is bounded per subscription and per channel: a channel
 * holds a bounded number of subscriptions per API, each event is tried a bounded number of times
 * within a bounded time, a subscription whose callback fails backs off (the events meanwhile are
 * logged as skipped, never connected for), and after repeated failure it is suspended until the
 * channel registers it again. Ops read the health beside the delivery log.
 */
export const deliveryBudget = {
  /** Subscriptions per channel and API. */
  subscriptionsPerChannel: 10,
  /** Attempts per event and subscription, each at most `timeoutMs`. */
  attemptsPerEvent: 3,
  timeoutMs: 3_000,
  /** Pause after a failed event: doubles with each further one, up to the maximum. */
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,
  /** Consecutive failed events after which the subscription is suspended. */
  suspendAfterFailures: 5,
} as const;

export type SubscriptionHealth = {
  consecutiveFailures: number;
  lastFailureAt?: string;
  /** No delivery is tried before this time. */
  backoffUntil?: string;
  suspendedAt?: string;
  suspendedReason?: string;
};

export const healthy: SubscriptionHealth = { consecutiveFailures: 0 };

export type DeliveryGate = 'deliver' | 'backoff' | 'suspended';

export const gateOf = (health: SubscriptionHealth, now: string): DeliveryGate => {
  if (health.suspendedAt) return 'suspended';
  if (health.backoffUntil && now < health.backoffUntil) return 'backoff';
  return 'deliver';
};

/** The health after one event was delivered, or was not after all its attempts. */
export const afterEvent = (
  health: SubscriptionHealth,
  delivered: boolean,
  now: string,
): SubscriptionHealth => {
  if (delivered) return healthy;
  const failures = health.consecutiveFailures + 1;
  if (failures >= deliveryBudget.suspendAfterFailures)
    return {
      consecutiveFailures: failures,
      lastFailureAt: now,
      suspendedAt: now,
      suspendedReason: `${failures} consecutive events not delivered`,
    };
  const pause = Math.min(deliveryBudget.backoffMaxMs, deliveryBudget.backoffBaseMs * 2 ** (failures - 1));
  return {
    consecutiveFailures: failures,
    lastFailureAt: now,
    backoffUntil: new Date(Date.parse(now) + pause).toISOString(),
  };
};
