import { isBillingHandoff, sentLineOf } from '#domain/order/billing-handoff';
import { type CommittedLine, committedLineOf, committedLinesOf } from '#domain/order/committed-line';
import { BILLING_HANDOFF_TASK_ID } from '#domain/order/decomposition';
import type { ProductOrder } from '#domain/order/product-order';
import { canonicalHash, canonicalJson } from '#domain/quote/canonical-hash';
import type { Quote } from '#domain/quote/quote-types';
import { orderEvidenceRecords } from './evidence-records.ts';

type Check = { check: string; ok: boolean; detail?: unknown };
type Difference = Record<string, unknown> & { itemId: string };
const verdict = (checks: Check[]) => ({ faithful: checks.every((c) => c.ok), checks });

/** The fields of a committed line that differ between two holders of it, with both values. */
const fieldsThatDiffer = (a: CommittedLine, b: CommittedLine) => {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort() as (keyof CommittedLine)[];
  return fields.filter((f) => canonicalJson(a[f] ?? null) !== canonicalJson(b[f] ?? null));
};

/** The order against the accepted quote: same package hash, every line once, same prices and versions. */
export const orderFaithfulToQuote = (order: ProductOrder, quote: Quote | undefined) => {
  if (!quote?.acceptance || !quote.priceSnapshot) {
    return verdict([{ check: 'ACCEPTED_QUOTE_FOUND', ok: false, detail: { quoteId: order.quoteId } }]);
  }
  const accepted = new Map(committedLinesOf(quote).map((l) => [l.quoteItemId, l]));
  const itemDiffs = order.items.flatMap((item): Difference[] => {
    const line = accepted.get(item.quoteItemId);
    if (!line) return [{ itemId: item.id, difference: 'no such accepted line' }];
    const ordered = committedLineOf(item);
    return fieldsThatDiffer(ordered, line).map((field) => ({
      itemId: item.id,
      field,
      order: ordered[field] ?? null,
      quote: line[field] ?? null,
    }));
  });
  const ordered = new Set(order.items.map((i) => i.quoteItemId));
  const missing = [...accepted.keys()].filter((id) => !ordered.has(id));
  return verdict([
    {
      check: 'ACCEPTED_PACKAGE_HASH',
      ok: order.quoteAcceptance.snapshotHash === quote.acceptance.snapshotHash,
      detail: { order: order.quoteAcceptance.snapshotHash, quote: quote.acceptance.snapshotHash },
    },
    {
      check: 'ACCEPTED_PACKAGE_INTACT',
      ok: canonicalHash(quote.priceSnapshot) === quote.acceptance.snapshotHash,
    },
    { check: 'EVERY_ACCEPTED_LINE_ORDERED', ok: missing.length === 0, detail: { missing } },
    { check: 'ITEMS_MATCH_ACCEPTED_LINES', ok: itemDiffs.length === 0, detail: { differences: itemDiffs } },
    {
      check: 'CATALOG_AND_PRICE_BOOK_VERSIONS',
      ok:
        order.catalogVersion === quote.acceptance.catalogVersion &&
        order.priceBookVersion === quote.acceptance.priceBookVersion,
      detail: {
        order: [order.catalogVersion, order.priceBookVersion],
        quote: [quote.acceptance.catalogVersion, quote.acceptance.priceBookVersion],
      },
    },
  ]);
};

/**
 * What was handed to billing against the order: the accepted prices, per item, acknowledged by
 * billing (a handoff in parts: every part, each item in exactly one).
 */
export const billingFaithfulToOrder = (order: ProductOrder) => {
  const parts = order.tasks.filter((t) => t.type === 'BILLING_HANDOFF' && t.compensationOf === undefined);
  const first = parts.find((t) => t.id === BILLING_HANDOFF_TASK_ID);
  if (!first)
    return { ...verdict([{ check: 'BILLING_HANDOFF_PLANNED', ok: false }]), status: 'NOT_STARTED' as const };
  const handoffs = parts.flatMap((t) => (isBillingHandoff(t.payload) ? [t.payload] : []));
  const sentItems = handoffs.flatMap((h) => h.items);
  const sent = new Map(sentItems.map((i) => [i.orderItemId, i]));
  const diffs = order.items.flatMap((item): Difference[] => {
    const billed = sent.get(item.id);
    if (!billed) return [{ itemId: item.id, difference: 'not handed to billing' }];
    const ordered = committedLineOf(item);
    const handed = sentLineOf(billed, ordered);
    return fieldsThatDiffer(ordered, handed).map((field) => ({
      itemId: item.id,
      field,
      order: ordered[field] ?? null,
      billing: handed[field] ?? null,
    }));
  });
  const ordered = new Set(order.items.map((i) => i.id));
  const extra = [...sent.keys()].filter((id) => !ordered.has(id));
  const unacknowledged = parts.find((t) => t.state !== 'DONE' || !t.evidence?.downstreamRef);
  const status = unacknowledged?.state ?? first.state;
  return {
    ...verdict([
      {
        check: 'ACCEPTED_PACKAGE_HASH_SENT',
        ok:
          handoffs.length === parts.length &&
          handoffs.every((h) => h.acceptedSnapshotHash === order.quoteAcceptance.snapshotHash),
      },
      {
        check: 'ITEMS_BILLED_AS_ORDERED',
        ok: diffs.length === 0 && extra.length === 0 && sentItems.length === sent.size,
        detail: { differences: diffs, extra },
      },
      {
        check: 'BILLING_ACKNOWLEDGED',
        ok: unacknowledged === undefined,
        detail: {
          state: status,
          downstreamRef: (unacknowledged ?? first).evidence?.downstreamRef ?? null,
          ...(parts.length > 1 ? { parts: parts.length } : {}),
        },
      },
    ]),
    status,
  };
};

export const orderEvidence = (order: ProductOrder, quote: Quote | undefined) => {
  const links = orderEvidenceRecords(order).map((r) => r.link);
  const acceptedAt = order.quoteAcceptance.acceptedAt;
  return {
    businessObject: {
      type: 'ProductOrder',
      id: order.id,
      version: order.version,
      state: order.state,
      channelId: order.channelId,
    },
    acceptedQuote: {
      quoteId: order.quoteId,
      acceptedPackageHash: order.quoteAcceptance.snapshotHash,
      acceptedAt,
      audit: `/audit/quotes/${order.quoteId}`,
    },
    versions: {
      catalogVersion: order.catalogVersion,
      priceBookVersion: order.priceBookVersion,
      decompositionRuleVersion: order.plan?.ruleVersion ?? null,
    },
    orderFaithfulToQuote: orderFaithfulToQuote(order, quote),
    billingFaithfulToOrder: billingFaithfulToOrder(order),
    fulfillment: order.tasks.map((t) => ({
      taskId: t.id,
      type: t.type,
      downstream: t.downstream,
      state: t.state,
      attempts: t.attempts,
      correlationId: t.correlationId,
      evidence: t.evidence ?? null,
    })),
    changesAfterAcceptance: [
      ...order.repairs.map((r) => ({
        change: 'REPAIR',
        at: r.at,
        by: r.actor.principalId,
        action: r.action,
        taskId: r.taskId,
        reasonCode: r.reasonCode,
      })),
      ...order.falloutHistory.map((f) => ({
        change: 'FALLOUT_RESOLVED',
        at: f.resolvedAt,
        reasonCode: f.reasonCode,
        resolution: f.resolution,
      })),
      ...(order.fallout
        ? [{ change: 'FALLOUT_OPEN', at: order.fallout.since, reasonCode: order.fallout.reasonCode }]
        : []),
      ...(order.cancellation
        ? [
            {
              change: 'CANCELLATION',
              at: order.cancellation.requestedCancellationDate,
              state: order.cancellation.state,
              reason: order.cancellation.cancellationReason,
            },
          ]
        : []),
    ],
    evidence: links,
  };
};
