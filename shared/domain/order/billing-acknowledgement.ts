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
): { latencyMs: number } | undefined => {
  // A handoff in parts: the part this change acknowledged (one part per recorded outcome).
  const is = after.tasks.find(
    (t) =>
      t.type === 'BILLING_HANDOFF' &&
      t.state === 'DONE' &&
      before.tasks.find((b) => b.id === t.id)?.state !== 'DONE',
  );
  if (!is) return undefined;
  const sent = is.dispatchedAt ?? before.tasks.find((b) => b.id === is.id)?.dispatchedAt;
  return { latencyMs: sent ? Math.max(0, Date.parse(now) - Date.parse(sent)) : 0 };
};
