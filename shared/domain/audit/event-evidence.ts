import type { TaskEvidence } from '#domain/order/fulfillment-task';
import type { ProductOrder, RepairAuditRecord } from '#domain/order/product-order';
import { type SourceEvent, typedEvent } from '#domain/projections/source-event';
import type { EvidenceRecord } from './evidence-link.ts';
import {
  downstreamConfirmationRecord,
  type OrderRef,
  orderCaptureRecord,
  orderRevisionRecord,
  repairRecord,
} from './evidence-records.ts';

/** Every field of a repair's audit record: the event carries them beside the order's ids. */
const repairFields = {
  id: true,
  actor: true,
  action: true,
  taskId: true,
  reasonCode: true,
  evidence: true,
  at: true,
  correlationId: true,
  before: true,
  after: true,
} satisfies Record<keyof RepairAuditRecord, true>;

const refOf = (event: SourceEvent): OrderRef => ({ id: event.aggregateId, version: event.aggregateVersion });

/**
 * The evidence records an order event creates that the event itself holds whole (the outbox
 * item written with the order, resolved if claim-checked): a task's downstream confirmation, a
 * repair. Undefined when the records need the order (`orderEventEvidence`); empty when the
 * event creates none. Each event seals only what it creates, whatever the order's size.
 */
export const evidenceInEvent = (source: SourceEvent): EvidenceRecord[] | undefined => {
  const event = typedEvent(source);
  if (!event) return [];
  switch (event.eventType) {
    case 'FulfillmentTaskStateChangeEvent': {
      const r = event.resource;
      if (!r.evidence) return [];
      const task = {
        id: r.taskId,
        type: r.type,
        downstream: r.downstream,
        correlationId: r.correlationId,
        evidence: r.evidence as TaskEvidence,
        completedAt: r.completedAt,
      };
      return [downstreamConfirmationRecord(refOf(source), task, source.eventTime)];
    }
    case 'FulfillmentTaskRepairEvent': {
      const r = event.resource as unknown as Record<string, unknown>;
      const record = Object.fromEntries(
        Object.keys(repairFields).map((k) => [k, r[k]]),
      ) as unknown as RepairAuditRecord;
      return [repairRecord(refOf(source), record)];
    }
    case 'ProductOrderCreateEvent':
    case 'ProductOrderRevisionEvent':
      return undefined;
    default:
      return [];
  }
};

/**
 * The records an order-level event creates from the order it concerns: the capture (the
 * order's items as committed), and for a revision its own record. Once per order or revision.
 */
export const orderEventEvidence = (source: SourceEvent, order: ProductOrder): EvidenceRecord[] => {
  const event = typedEvent(source);
  if (event?.eventType === 'ProductOrderRevisionEvent') {
    const revision = order.revisions?.find((r) => r.revision === event.resource.revision);
    return [orderCaptureRecord(order), ...(revision ? [orderRevisionRecord(order, revision)] : [])];
  }
  return event?.eventType === 'ProductOrderCreateEvent' ? [orderCaptureRecord(order)] : [];
};
