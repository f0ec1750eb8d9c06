import type { TaskEvidence } from '#domain/order/fulfillment-task';
import type { OrderRevision, ProductOrder, RepairAuditRecord } from '#domain/order/product-order';
import { canonicalHash } from '#domain/quote/canonical-hash';
import type { Quote } from '#domain/quote/quote-types';
import { type EvidenceRecord, evidenceRecord } from './evidence-link.ts';

/**
 * The evidence records of a quote: the price calculation, every approval request and decision,
 * and the accepted package (acceptance record with the snapshot it commits to). Each record
 * is immutable once made, so its key and hash never change.
 */
export const quoteEvidenceRecords = (quote: Quote): EvidenceRecord[] => {
  const base = {
    businessObjectType: 'Quote' as const,
    businessObjectId: quote.id,
    businessObjectVersion: quote.version,
  };
  const at = (path: string) => `QUOTE#${quote.id} ${path}`;
  const records: EvidenceRecord[] = [];
  const snapshot = quote.priceSnapshot;
  if (snapshot) {
    records.push(
      evidenceRecord(
        {
          ...base,
          evidenceType: 'PRICE_CALCULATION',
          recordId: snapshot.inputHash.replace('sha256:', ''),
          storedAt: quote.pricedAt ?? quote.updatedAt,
          source: at('priceSnapshot'),
        },
        snapshot,
      ),
    );
  }
  for (const r of quote.approval.requests) {
    records.push(
      evidenceRecord(
        {
          ...base,
          evidenceType: 'APPROVAL_REQUEST',
          recordId: r.id,
          storedAt: r.submittedAt,
          source: at(`approval.requests[${r.id}]`),
        },
        r,
      ),
    );
  }
  for (const d of quote.approval.decisions) {
    records.push(
      evidenceRecord(
        {
          ...base,
          evidenceType: 'APPROVAL_DECISION',
          recordId: d.id,
          storedAt: d.at,
          source: at(`approval.decisions[${d.id}]`),
        },
        d,
      ),
    );
  }
  const acceptance = quote.acceptance;
  if (acceptance) {
    const record = evidenceRecord(
      {
        ...base,
        evidenceType: 'ACCEPTED_QUOTE_PACKAGE',
        recordId: acceptance.id,
        storedAt: acceptance.acceptedAt,
        source: at('acceptance'),
      },
      { acceptance, priceSnapshot: snapshot ?? null },
    );
    record.link.verified = !!snapshot && canonicalHash(snapshot) === acceptance.snapshotHash;
    records.push(record);
  }
  return records;
};

/** What an order's records say of the order: its id and the version they were taken from. */
export type OrderRef = { id: string; version: number };

const orderBase = (order: OrderRef) => ({
  businessObjectType: 'ProductOrder' as const,
  businessObjectId: order.id,
  businessObjectVersion: order.version,
});
const orderSource = (order: OrderRef, path: string) => `ORDER#${order.id} ${path}`;

/**
 * What the order is committed to: its items. A revision commits the order to new items, so the
 * capture of each revision is a record of its own (`<orderId>-r<n>`) and every sealed capture stays what it was.
 */
export const orderCaptureRecord = (order: ProductOrder): EvidenceRecord => {
  const latest = order.revisions?.at(-1);
  return evidenceRecord(
    {
      ...orderBase(order),
      evidenceType: 'ORDER_CAPTURE',
      recordId: latest ? `${order.id}-r${latest.revision}` : order.id,
      storedAt: latest?.at ?? order.orderDate,
      source: orderSource(order, 'items'),
    },
    {
      quoteId: order.quoteId,
      quoteAcceptance: order.quoteAcceptance,
      items: order.items,
      catalogVersion: order.catalogVersion,
      priceBookVersion: order.priceBookVersion,
    },
  );
};

export const orderRevisionRecord = (order: OrderRef, r: OrderRevision): EvidenceRecord =>
  evidenceRecord(
    {
      ...orderBase(order),
      evidenceType: 'ORDER_REVISION',
      recordId: `${order.id}-r${r.revision}`,
      storedAt: r.at,
      source: orderSource(order, `revisions[${r.revision}]`),
    },
    r,
  );

/** The part of a task its downstream confirmation commits to. */
export type ConfirmedTask = {
  id: string;
  type: string;
  downstream: string;
  correlationId: string;
  evidence: TaskEvidence;
  completedAt?: string;
};

/** `storedAt` when the task tells no completion time: the time of the order version that holds it. */
export const downstreamConfirmationRecord = (
  order: OrderRef,
  task: ConfirmedTask,
  fallbackAt: string,
): EvidenceRecord =>
  evidenceRecord(
    {
      ...orderBase(order),
      evidenceType: 'DOWNSTREAM_CONFIRMATION',
      recordId: task.id,
      storedAt: task.completedAt ?? fallbackAt,
      source: orderSource(order, `tasks[${task.id}].evidence`),
    },
    {
      taskId: task.id,
      type: task.type,
      downstream: task.downstream,
      correlationId: task.correlationId,
      evidence: task.evidence,
    },
  );

export const repairRecord = (order: OrderRef, r: RepairAuditRecord): EvidenceRecord =>
  evidenceRecord(
    {
      ...orderBase(order),
      evidenceType: 'REPAIR',
      recordId: r.id,
      storedAt: r.at,
      source: orderSource(order, `repairs[${r.id}]`),
    },
    r,
  );

/** The evidence records of an order: what was captured, each revision, each downstream confirmation, each repair. */
export const orderEvidenceRecords = (order: ProductOrder): EvidenceRecord[] => [
  orderCaptureRecord(order),
  ...(order.revisions ?? []).map((r) => orderRevisionRecord(order, r)),
  ...order.tasks.flatMap((t) =>
    t.evidence ? [downstreamConfirmationRecord(order, { ...t, evidence: t.evidence }, order.updatedAt)] : [],
  ),
  ...order.repairs.map((r) => repairRecord(order, r)),
];
