import { describe, expect, it } from 'vitest';
import { evidenceInEvent, orderEventEvidence } from '#domain/audit/event-evidence';
import type { EvidenceRecord } from '#domain/audit/evidence-link';
import { orderEvidenceRecords } from '#domain/audit/evidence-records';
import type { DomainEvent } from '#domain/events';
import {
  completeOrder,
  nextStep,
  recordFallout,
  recordTaskCompleted,
  recordTaskDispatched,
  recordTaskOutcomeUnknown,
  startFulfillment,
} from '#domain/order/fulfillment';
import { orderCreated } from '#domain/order/order-events';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { repairTask } from '#domain/order/repair';
import type { SourceEvent } from '#domain/projections/source-event';
import { at, ctx, newOrder, ops } from '../oms/fixtures.ts';

const FIRST = 'item-1-ACCESS_PROVISION';

/** An order's life as its outbox tells it: each command's events under the version it wrote. */
const lifeOf = () => {
  let order = newOrder();
  const events: SourceEvent[] = [];
  const record = (domainEvents: DomainEvent[]) =>
    events.push(
      ...(domainEvents.map((e, i) => ({
        ...e,
        eventId: `${order.id}-${order.version}-${i}`,
        eventTime: order.updatedAt,
        correlationId: 'c-1',
        aggregateType: 'ORDER',
        aggregateId: order.id,
        aggregateVersion: order.version,
      })) as SourceEvent[]),
    );
  const apply = (result: OrderCommandResult) => {
    order = { ...result.order, version: order.version + 1 };
    record(result.events);
  };
  record([orderCreated(order)]);
  apply(startFulfillment(order, ctx(at(1))));
  apply(recordTaskDispatched(order, FIRST, ctx(at(2))));
  apply(recordTaskOutcomeUnknown(order, FIRST, 'LOST_RESPONSE', ctx(at(3))));
  apply(recordFallout(order, FIRST, { reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' }, ctx(at(4))));
  const downstreamRef = 'ds-checked';
  const repair = { action: 'MARK_COMPLETE', reasonCode: 'CHECKED', evidence: { downstreamRef } } as const;
  apply(
    repairTask(
      order,
      FIRST,
      repair,
      { ...ctx(at(5)), actor: ops },
      { status: 'DONE', completedRefs: [downstreamRef] },
    ),
  );
  for (let step = nextStep(order); step.kind === 'DISPATCH'; step = nextStep(order))
    for (const ref of step.tasks) {
      apply(recordTaskDispatched(order, ref.taskId, ctx(at(6))));
      const evidence = { downstreamRef: `ds-${ref.taskId}`, source: 'response' } as const;
      apply(recordTaskCompleted(order, ref.taskId, evidence, ctx(at(7))));
    }
  apply(completeOrder(order, ctx(at(8))));
  return { order: order as ProductOrder, events };
};

const sealed = (records: EvidenceRecord[]) => new Map(records.map((r) => [r.link.key, r.body]));

describe('the evidence an event creates', () => {
  it('is, over an order life, every record of the order, each once and with the body the order holds', () => {
    const { order, events } = lifeOf();
    const fromEvents = events.flatMap((e) => evidenceInEvent(e) ?? orderEventEvidence(e, order));
    const keys = fromEvents.map((r) => r.link.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(sealed(fromEvents)).toEqual(sealed(orderEvidenceRecords(order)));
    expect(fromEvents.map((r) => r.link.evidenceType).sort()).toEqual(
      expect.arrayContaining(['DOWNSTREAM_CONFIRMATION', 'ORDER_CAPTURE', 'REPAIR']),
    );
  });

  it('needs no read of the order for a task or repair event, and only the order for its capture', () => {
    const { events } = lifeOf();
    const needsOrder = events.filter((e) => evidenceInEvent(e) === undefined).map((e) => e.eventType);
    expect(needsOrder).toEqual(['ProductOrderCreateEvent']);
    const silent = events.filter(
      (e) => e.eventType === 'FulfillmentTaskStateChangeEvent' && !e.resource.evidence,
    );
    expect(silent.length).toBeGreaterThan(0);
    for (const e of silent) expect(evidenceInEvent(e)).toEqual([]);
  });
});
