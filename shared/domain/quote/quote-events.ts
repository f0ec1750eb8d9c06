import type { DomainEvent } from '#domain/events';
import type {
  AcceptanceEvidence,
  ApprovalDecision,
  ApprovalRequest,
  Quote,
  QuoteState,
} from '#domain/quote/quote-types';

/** The compact quote every event carries: no lines, comments, cost or margin. */
function compact(quote: Quote): Record<string, unknown> {
  return {
    id: quote.id,
    state: quote.state,
    channelId: quote.channelId,
    accountId: quote.customer.accountId,
    currency: quote.currency,
    ...(quote.externalId === undefined ? {} : { externalId: quote.externalId }),
    validFor: quote.validFor,
  };
}

const event = (eventType: string, quote: Quote, extra: Record<string, unknown> = {}): DomainEvent => ({
  eventType,
  domain: 'quote',
  resource: { ...compact(quote), ...extra },
});

export const quoteCreated = (quote: Quote): DomainEvent =>
  event('QuoteCreateEvent', quote, { lineCount: quote.lines.length });

export const quoteStateChanged = (quote: Quote, previousState: QuoteState): DomainEvent =>
  event('QuoteStateChangeEvent', quote, { previousState });

export function quoteAttributesChanged(quote: Quote, changed: string[]): DomainEvent {
  const snapshot = quote.priceSnapshot;
  return event('QuoteAttributeValueChangeEvent', quote, {
    changedAttributes: changed,
    lineCount: quote.lines.length,
    price: snapshot
      ? {
          inputHash: snapshot.inputHash,
          catalogVersion: snapshot.catalogVersion,
          priceBookVersion: snapshot.priceBookVersion,
          netOneTime: snapshot.totals.netOneTime,
          netRecurring: snapshot.totals.netRecurring,
        }
      : null,
  });
}

export const approvalRequested = (quote: Quote, request: ApprovalRequest): DomainEvent =>
  event('QuoteApprovalRequestedEvent', quote, {
    approvalRequest: {
      id: request.id,
      reasonCodes: request.reasonCodes,
      policyVersion: request.policyVersion,
      fingerprint: request.fingerprint,
      submittedAt: request.submittedAt,
      dueAt: request.dueAt,
    },
  });

export const approvalDecided = (quote: Quote, decision: ApprovalDecision): DomainEvent =>
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

export const approvalInvalidated = (quote: Quote, cause: string, requestId?: string): DomainEvent =>
  event('QuoteApprovalInvalidatedEvent', quote, { cause, ...(requestId ? { requestId } : {}) });

export const quoteAccepted = (quote: Quote, evidence: AcceptanceEvidence): DomainEvent =>
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
  });
