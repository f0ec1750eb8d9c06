import type { ProductOrder } from '#domain/order/product-order';
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

/**
 * The evidence records of an order: what was captured, each revision, each downstream
 * confirmation, each repair. A revision commits the order to new items: the capture of each
 * revision is a record of its own (`<orderId>-r<n>`), so every sealed capture stays what it was.
 */
export const orderEvidenceRecords = (order: ProductOrder): EvidenceRecord[] => {
  const base = {
    businessObjectType: 'ProductOrder' as const,
    businessObjectId: order.id,
    businessObjectVersion: order.version,
  };
  const at = (path: string) => `ORDER#${order.id} ${path}`;
  const latest = order.revisions?.at(-1);
  return [
    evidenceRecord(
      {
        ...base,
        evidenceType: 'ORDER_CAPTURE',
        recordId: latest ? `${order.id}-r${latest.revision}` : order.id,
        storedAt: latest?.at ?? order.orderDate,
        source: at('items'),
      },
      {
        quoteId: order.quoteId,
        quoteAcceptance: order.quoteAcceptance,
        items: order.items,
        catalogVersion: order.catalogVersion,
        priceBookVersion: order.priceBookVersion,
      },
    ),
    ...(order.revisions ?? []).map((r) =>
      evidenceRecord(
        {
          ...base,
          evidenceType: 'ORDER_REVISION',
          recordId: `${order.id}-r${r.revision}`,
          storedAt: r.at,
          source: at(`revisions[${r.revision}]`),
        },
        r,
      ),
    ),
    ...order.tasks
      .filter((t) => t.evidence)
      .map((t) =>
        evidenceRecord(
          {
            ...base,
            evidenceType: 'DOWNSTREAM_CONFIRMATION',
            recordId: t.id,
            storedAt: t.completedAt ?? order.updatedAt,
            source: at(`tasks[${t.id}].evidence`),
          },
          {
            taskId: t.id,
            type: t.type,
            downstream: t.downstream,
            correlationId: t.correlationId,
            evidence: t.evidence,
          },
        ),
      ),
    ...order.repairs.map((r) =>
      evidenceRecord(
        { ...base, evidenceType: 'REPAIR', recordId: r.id, storedAt: r.at, source: at(`repairs[${r.id}]`) },
        r,
      ),
    ),
  ];
};
