import { type OrderTrackingRow, slaRiskOf } from '#domain/projections/order-tracking';
import type { Freshness } from '#domain/projections/source-event';

/** Requirements 003 §6: what an operations user searches orders by. */
export type OrderSearchDoc = {
  documentType: 'order';
  orderId: string;
  channelId: string;
  accountId?: string;
  quoteId?: string;
  externalId?: string;
  orderDate?: string;
  state: string;
  falloutReason?: string;
  /** Downstream systems the order still waits on or failed at (tasks neither done nor cancelled). */
  downstreamSystems: string[];
  slaBreached: boolean;
  productFamilies: string[];
  offeringIds: string[];
  /** Correlation ids of its tasks: the idempotency keys the downstream systems saw. */
  correlationIds: string[];
  freshness: Freshness;
};

const settled = new Set(['DONE', 'CANCELLED']);
const sortedSet = (values: (string | undefined)[]): string[] =>
  [...new Set(values.filter((v): v is string => !!v))].sort();

/**
 * Derived from the order tracking row (the same reducer, so search and tracking agree). An SLA
 * breach is the tracking view's HIGH risk: held in fallout or a task outcome unknown.
 */
export const orderSearchDocOf = (row: OrderTrackingRow): OrderSearchDoc => {
  const tasks = Object.values(row.tasks);
  return {
    documentType: 'order',
    orderId: row.orderId,
    channelId: row.channelId,
    ...(row.accountId ? { accountId: row.accountId } : {}),
    ...(row.quoteId ? { quoteId: row.quoteId } : {}),
    ...(row.externalId ? { externalId: row.externalId } : {}),
    ...(row.orderDate ? { orderDate: row.orderDate } : {}),
    state: row.state,
    ...(row.fallout ? { falloutReason: row.fallout.reasonCode } : {}),
    downstreamSystems: sortedSet(tasks.filter((t) => !settled.has(t.state)).map((t) => t.downstream)),
    slaBreached: slaRiskOf(row).level === 'HIGH',
    productFamilies: sortedSet(row.items.map((i) => i.productFamily)),
    offeringIds: sortedSet(row.items.map((i) => i.offeringId)),
    correlationIds: sortedSet(tasks.map((t) => t.correlationId)),
    freshness: row.freshness,
  };
};
