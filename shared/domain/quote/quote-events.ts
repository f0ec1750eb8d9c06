import type { CompactQuote, EventOf, QuoteEvent, QuoteEventPayloads, QuotePrice } from '#domain/events';
import { totalContractValueMinor } from '#domain/quote/contract-value';
import type {
  AcceptanceEvidence,
  ApprovalDecision,
  ApprovalRequest,
  Quote,
  QuoteState,
} from '#domain/quote/quote-types';

/**
 * The compact quote every event carries: customer and product references for search, no prices,
 * comments, cost or margin.
 */
function compact(quote: Quote): CompactQuote {
  return {
    id: quote.id,
    state: quote.state,
    channelId: quote.channelId,
    accountId: quote.customer.accountId,
    customer: { name: quote.customer.name, region: quote.customer.region, segment: quote.customer.segment },
    products: quote.lines.map((l) => ({
      lineId: l.lineId,
      offeringId: l.offeringId,
      productFamily: l.productFamily,
      quantity: l.quantity,
    })),
    createdAt: quote.createdAt,
    currency: quote.currency,
    ...(quote.externalId === undefined ? {} : { externalId: quote.externalId }),
    validFor: quote.validFor,
    owner: quote.createdBy.principalId,
    ...(quote.priceSnapshot ? { priceBookVersion: quote.priceSnapshot.priceBookVersion } : {}),
  };
}

type QuoteEventType = QuoteEvent['eventType'];

const event = <K extends QuoteEventType>(
  eventType: K,
  quote: Quote,
  extra: Omit<QuoteEventPayloads[K], keyof CompactQuote>,
): EventOf<K> => ({ eventType, domain: 'quote', resource: { ...compact(quote), ...extra } }) as EventOf<K>;

export const quoteCreated = (quote: Quote): EventOf<'QuoteCreateEvent'> =>
  event('QuoteCreateEvent', quote, { lineCount: quote.lines.length });

export const quoteStateChanged = (
  quote: Quote,
  previousState: QuoteState,
): EventOf<'QuoteStateChangeEvent'> => event('QuoteStateChangeEvent', quote, { previousState });

/** The priced lines (minor units) for reporting; never cost or margin (events reach channels). */
const priceOf = (quote: Quote): QuotePrice | null => {
  const snapshot = quote.priceSnapshot;
  if (!snapshot) return null;
  return {
    inputHash: snapshot.inputHash,
    catalogVersion: snapshot.catalogVersion,
    priceBookVersion: snapshot.priceBookVersion,
    policyVersion: snapshot.policyVersion,
    netOneTime: snapshot.totals.netOneTime,
    netRecurring: snapshot.totals.netRecurring,
    lines: snapshot.lines.map((l) => ({
      lineId: l.lineId,
      offeringId: l.offeringId,
      listOneTime: l.listOneTime,
      listRecurring: l.listRecurring,
      discountPercent: l.discountPercent,
      discountOneTime: l.discountOneTime,
      discountRecurring: l.discountRecurring,
      netOneTime: l.netOneTime,
      netRecurring: l.netRecurring,
    })),
  };
};

export function quoteAttributesChanged(
  quote: Quote,
  changed: string[],
): EventOf<'QuoteAttributeValueChangeEvent'> {
  return event('QuoteAttributeValueChangeEvent', quote, {
    changedAttributes: changed,
    lineCount: quote.lines.length,
    price: priceOf(quote),
  });
}

export const approvalRequested = (
  quote: Quote,
  request: ApprovalRequest,
): EventOf<'QuoteApprovalRequestedEvent'> =>
  event('QuoteApprovalRequestedEvent', quote, {
    approvalRequest: {
      id: request.id,
      reasonCodes: request.reasonCodes,
      policyVersion: request.policyVersion,
      fingerprint: request.fingerprint,
      submittedAt: request.submittedAt,
      dueAt: request.dueAt,
      maxDiscountPercent: request.maxDiscountPercent,
      requestedBy: request.requestedBy.principalId,
      // The request is open only while the price it covers is the quote's current one.
      ...contractValueOf(quote),
    },
  });

const contractValueOf = (quote: Quote) => {
  const value = totalContractValueMinor(quote);
  return value === undefined ? {} : { totalContractValueMinor: value };
};

export const approvalDecided = (
  quote: Quote,
  decision: ApprovalDecision,
): EventOf<'QuoteApprovalDecidedEvent'> =>
  event('QuoteApprovalDecidedEvent', quote, {
    approvalDecision: {
      id: decision.id,
      requestId: decision.requestId,
      decision: decision.decision,
      decidedBy: decision.actor.principalId,
      at: decision.at,
      fingerprint: decision.fingerprint,
      policyVersion: decision.policyVersion,
    },
  });

export const approvalInvalidated = (
  quote: Quote,
  cause: string,
  requestId?: string,
): EventOf<'QuoteApprovalInvalidatedEvent'> =>
  event('QuoteApprovalInvalidatedEvent', quote, { cause, ...(requestId ? { requestId } : {}) });

export const quoteAccepted = (quote: Quote, evidence: AcceptanceEvidence): EventOf<'QuoteAcceptedEvent'> =>
  event('QuoteAcceptedEvent', quote, {
    acceptance: {
      id: evidence.id,
      snapshotHash: evidence.snapshotHash,
      acceptedAt: evidence.acceptedAt,
      catalogVersion: evidence.catalogVersion,
      priceBookVersion: evidence.priceBookVersion,
      policyVersion: evidence.policyVersion,
      approvalFingerprint: evidence.approvalFingerprint,
    },
    approvalGrant: quote.approval.grant
      ? { basis: quote.approval.grant.basis, grantedAt: quote.approval.grant.grantedAt }
      : null,
    price: priceOf(quote),
  });
