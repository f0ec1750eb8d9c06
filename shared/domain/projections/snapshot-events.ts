import type { DomainEvent } from '#domain/events';
import type { InstalledProduct } from '#domain/inventory/product';
import { productCreated } from '#domain/inventory/product-events';
import { jeopardyEvent } from '#domain/order/jeopardy';
import {
  cancellationEvent,
  changeEvents,
  orderCreated,
  orderRevised,
  planCreated,
  repairRecorded,
} from '#domain/order/order-events';
import type { ProductOrder } from '#domain/order/product-order';
import {
  approvalDecided,
  approvalInvalidated,
  approvalRequested,
  quoteAccepted,
  quoteCreated,
} from '#domain/quote/quote-events';
import type { Quote } from '#domain/quote/quote-types';
import type { SourceEvent } from './source-event.ts';

/**
 * The source of record as events: what an aggregate (of any age, its outbox long expired) says
 * about itself, written with the domain's own event builders so every projection reducer reads it
 * unchanged. All snapshot events carry the aggregate's version; their ids start with `~`, which
 * sorts after every real event id, so within that version a snapshot event is the latest word and
 * a live event of a later version still moves the row on. Each milestone the aggregate keeps
 * (approval requests, decisions, invalidations, acceptance, repairs) keeps its own time.
 */
export const snapshotEventIdPrefix = '~snapshot';

type Milestone = { at: string; event: DomainEvent };

const asSourceEvents = (
  aggregateType: 'QUOTE' | 'ORDER' | 'PRODUCT',
  id: string,
  version: number,
  milestones: Milestone[],
): SourceEvent[] =>
  milestones.map((m, i) => ({
    eventId: `${snapshotEventIdPrefix}-${String(i).padStart(4, '0')}-${aggregateType}-${id}`,
    eventTime: m.at,
    eventType: m.event.eventType,
    domain: m.event.domain,
    correlationId: `snapshot-${aggregateType}-${id}-${version}`,
    aggregateType,
    aggregateId: id,
    aggregateVersion: version,
    resource: m.event.resource as Record<string, unknown>,
  }));

/**
 * A quote's approval history in order, with the event that decides the current approval status
 * last: within one version the reducer ranks request < decision < invalidation, so a history whose
 * latest step is a new request after an invalidation keeps only what the status needs.
 */
const approvalMilestones = (quote: Quote): Milestone[] => {
  const { requests, decisions, invalidations } = quote.approval;
  const steps: (Milestone & { rank: number })[] = [
    ...requests.map((r) => ({ at: r.submittedAt, rank: 1, event: approvalRequested(quote, r) })),
    ...decisions.map((d) => ({ at: d.at, rank: 2, event: approvalDecided(quote, d) })),
    ...invalidations.map((i) => ({
      at: i.at,
      rank: 3,
      event: approvalInvalidated(quote, i.cause, i.requestId),
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.rank - b.rank));
  const latest = steps.at(-1);
  if (!latest) return [];
  // A step that outranks the latest one would win the status, so it is left out.
  return steps.filter((s) => s.rank <= latest.rank);
};

export const quoteSnapshotEvents = (quote: Quote, version: number): SourceEvent[] => {
  const milestones: Milestone[] = [
    { at: quote.createdAt, event: quoteCreated(quote) },
    ...approvalMilestones(quote),
    ...(quote.acceptance
      ? [{ at: quote.acceptance.acceptedAt, event: quoteAccepted(quote, quote.acceptance) }]
      : []),
  ];
  return asSourceEvents('QUOTE', quote.id, version, milestones);
};

const stateSinceOf = (order: ProductOrder): string =>
  order.fallout?.since ?? order.completionDate ?? order.updatedAt;

export const orderSnapshotEvents = (order: ProductOrder, version: number): SourceEvent[] => {
  const created = orderCreated({ ...order, state: 'acknowledged' });
  // Every task as it stands and the order's current state, as one change from a bare order.
  const changes = changeEvents({ ...order, state: 'acknowledged', tasks: [] }, order).map((event) =>
    event.eventType === 'ProductOrderStateChangeEvent'
      ? { ...event, resource: { ...event.resource, at: stateSinceOf(order) } }
      : event,
  ) as DomainEvent[];
  const latestAlert = order.jeopardyAlerts?.at(-1);
  const jeopardy: Milestone[] = latestAlert
    ? [{ at: latestAlert.alertDate, event: jeopardyEvent(order, latestAlert) }]
    : [];
  const milestones: Milestone[] = [
    { at: order.orderDate, event: created },
    // The plan's item dependencies (what an item waits for).
    ...(order.plan ? [{ at: order.orderDate, event: planCreated(order) }] : []),
    // A task's outcome keeps its own time (the reporting facts date it by that).
    ...changes.map((event) => ({
      at:
        event.eventType === 'FulfillmentTaskStateChangeEvent'
          ? (event.resource.completedAt ?? stateSinceOf(order))
          : stateSinceOf(order),
      event,
    })),
    ...jeopardy,
    ...(order.revisions ?? []).map((r) => ({ at: r.at, event: orderRevised(order, r) })),
    ...order.repairs.map((r) => ({ at: r.at, event: repairRecorded(order, r) })),
    ...(order.cancellation
      ? [
          {
            at: order.cancellation.requestedCancellationDate,
            event: cancellationEvent('CancelProductOrderStateChangeEvent', order.cancellation),
          },
        ]
      : []),
  ];
  return asSourceEvents('ORDER', order.id, version, milestones);
};

/** An installed product as its creation with its current status (the timeline's asset entry). */
export const productSnapshotEvents = (product: InstalledProduct, version: number): SourceEvent[] =>
  asSourceEvents('PRODUCT', product.id, version, [{ at: product.startDate, event: productCreated(product) }]);
