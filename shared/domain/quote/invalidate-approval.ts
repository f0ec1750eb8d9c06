import type { DomainEvent } from '#domain/events';
import { approvalInvalidated } from '#domain/quote/quote-events';
import type { ApprovalInvalidation, Quote } from '#domain/quote/quote-types';

/**
 * Drops the grant or the open request when the state it evaluated is gone, records why, and
 * sends the quote back to `inProgress`. Requests and decisions stay as audit history.
 */
export function withoutApproval(
  quote: Quote,
  cause: ApprovalInvalidation['cause'],
  at: string,
): { quote: Quote; events: DomainEvent[]; invalidated: boolean } {
  const { grant, openRequestId } = quote.approval;
  const openRequest = quote.approval.requests.find((r) => r.id === openRequestId);
  const fingerprint = grant?.fingerprint ?? openRequest?.fingerprint;
  if (fingerprint === undefined) return { quote, events: [], invalidated: false };
  const requestId = grant?.requestId ?? openRequest?.id;
  const invalidation: ApprovalInvalidation = {
    at,
    cause,
    invalidated: grant ? 'GRANT' : 'OPEN_REQUEST',
    fingerprint,
    ...(requestId === undefined ? {} : { requestId }),
  };
  const { grant: _grant, openRequestId: _open, ...kept } = quote.approval;
  const next: Quote = {
    ...quote,
    state: 'inProgress',
    approval: { ...kept, invalidations: [...quote.approval.invalidations, invalidation] },
  };
  return { quote: next, events: [approvalInvalidated(next, cause, requestId)], invalidated: true };
}
