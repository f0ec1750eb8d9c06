import type { Role } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { percentFromBasisPoints } from '#domain/money';
import { lineReferencesOf } from '#domain/quote/line-references';
import type { PriceSnapshot } from '#domain/quote/pricing';
import { isExpired, linePricingStatusOf, pricingStatusOf } from '#domain/quote/quote-rules';
import type { ApprovalDecision, Quote } from '#domain/quote/quote-types';

export type QuoteView = {
  role: Role;
  catalog: CatalogRelease;
  now: string;
  /** The current release could not be read; `catalog` is the last one read (degraded mode). */
  catalogUnverified?: boolean;
};

/** A price that cannot be proven current is shown stale, never priced (requirements 000 §18.1). */
const proven = (status: string, view: QuoteView) =>
  view.catalogUnverified && status === 'PRICED' ? 'STALE' : status;

/**
 * The quote as the API returns it. Pricing status and expiry are derived against the current
 * release and clock at read time. Partners get no internal fields: no margin, no approval
 * comments, no approver identity.
 */
export function toQuoteResource(quote: Quote, view: QuoteView): Record<string, unknown> {
  const partner = view.role === 'partner';
  return {
    id: quote.id,
    version: quote.version,
    ...(quote.externalId === undefined ? {} : { externalId: quote.externalId }),
    state: quote.state,
    customer: quote.customer,
    currency: quote.currency,
    channelId: quote.channelId,
    createdAt: quote.createdAt,
    updatedAt: quote.updatedAt,
    validFor: quote.validFor,
    expired: isExpired(quote, view.now),
    lines: quote.lines.map((line) => ({
      id: line.lineId,
      offeringId: line.offeringId,
      quantity: line.quantity,
      ...lineReferencesOf(line),
      options: line.options,
      ...(line.change ? { action: line.change.action, productId: line.change.productId } : {}),
      discountPercent: percentFromBasisPoints(line.discountBasisPoints),
      catalogVersion: line.catalogVersion,
      configuration: line.configuration,
      pricingStatus: proven(linePricingStatusOf(quote, line.lineId, view.catalog), view),
    })),
    pricingStatus: proven(pricingStatusOf(quote, view.catalog), view),
    ...(view.catalogUnverified
      ? {
          degraded: {
            components: ['catalog'],
            message:
              'The current price book cannot be read: drafts stay editable, prices are not proven current',
          },
        }
      : {}),
    priceSnapshot: quote.priceSnapshot ? snapshotFor(quote.priceSnapshot, partner) : null,
    pricedAt: quote.pricedAt ?? null,
    approval: {
      status: approvalStatus(quote),
      requests: quote.approval.requests,
      decisions: quote.approval.decisions.map((d) => (partner ? redactDecision(d) : d)),
      invalidations: quote.approval.invalidations,
      grant: quote.approval.grant ?? null,
    },
    acceptance: quote.acceptance ?? null,
  };
}

function snapshotFor(snapshot: PriceSnapshot, partner: boolean): PriceSnapshot {
  if (!partner) return snapshot;
  const { marginRecurring: _total, ...totals } = snapshot.totals;
  return { ...snapshot, lines: snapshot.lines.map(({ marginRecurring: _m, ...line }) => line), totals };
}

function redactDecision({
  comment: _comment,
  actor,
  ...decision
}: ApprovalDecision): Record<string, unknown> {
  return { ...decision, actor: { role: actor.role } };
}

function approvalStatus(quote: Quote): 'NONE' | 'PENDING' | 'APPROVED' | 'REJECTED' {
  if (quote.approval.openRequestId !== undefined) return 'PENDING';
  if (quote.approval.grant) return 'APPROVED';
  if (quote.state === 'rejected') return 'REJECTED';
  return 'NONE';
}
