import type { ProductOrder } from './product-order.ts';

/**
 * The billing handoff acknowledged by this change (requirements 000 §20 "billing acknowledgement"):
 * the task moved to DONE now, after being sent at `dispatchedAt` (its last dispatch: a refused
 * attempt before it counts against the dispatch SLO instead). Undefined for any other change.
 */
export const billingAcknowledgement = (
  before: ProductOrder,
  after: ProductOrder,
  now: string,
): { latencyMs: number } | undefined => billingAcknowledgements(before, after, now)[0];

/** Every part of the billing handoff this change acknowledged (a dispatch round records several). */
export const billingAcknowledgements = (
  before: ProductOrder,
  after: ProductOrder,
  now: string,
): { latencyMs: number }[] => {
  const previous = new Map(before.tasks.map((b) => [b.id, b]));
  return after.tasks
    .filter((t) => t.type === 'BILLING_HANDOFF' && t.state === 'DONE' && previous.get(t.id)?.state !== 'DONE')
    .map((t) => {
      const sent = t.dispatchedAt ?? previous.get(t.id)?.dispatchedAt;
      return { latencyMs: sent ? Math.max(0, Date.parse(now) - Date.parse(sent)) : 0 };
    });
};
