import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { assertApprovalAuthority } from '#domain/quote/approval-policy';
import { approvalDecided, quoteStateChanged } from '#domain/quote/quote-events';
import { assertNotExpired, assertState, fingerprintOf } from '#domain/quote/quote-rules';
import {
  type ApprovalDecision,
  type ApprovalRequest,
  actorRef,
  type Quote,
  type QuoteCommandResult,
} from '#domain/quote/quote-types';

export type ApprovalDecisionInput = { decision: 'APPROVE' | 'REJECT'; comment?: string };

/**
 * Checked now, not when the request was raised: the approver's role and limit, and that the
 * request's fingerprint is still the quote's on the current price book (a book published while
 * the request waited makes it stale). A rejection commits nothing, so it needs only the role.
 */
export function decideApproval(
  quote: Quote,
  input: ApprovalDecisionInput,
  ctx: CommandContext & { catalog: CatalogRelease; decisionId: string },
): QuoteCommandResult {
  assertState(quote, ['pending'], 'decide an approval for');
  const request = openRequest(quote);
  const policyLines = quote.lines.map((l) => ({
    lineId: l.lineId,
    discountBasisPoints: l.discountBasisPoints,
  }));
  if (input.decision === 'APPROVE') {
    assertApprovalAuthority(ctx.actor, policyLines);
    const current = fingerprintOf(quote, ctx.catalog.priceBookVersion);
    if (current !== request.fingerprint) {
      throw new DomainError('APPROVAL_STALE', 'the quote changed since approval was requested', {
        quoteId: quote.id,
        requestId: request.id,
        requestedFingerprint: request.fingerprint,
        currentFingerprint: current,
      });
    }
    assertNotExpired(quote, ctx.now);
  } else {
    assertApprovalAuthority(ctx.actor, []);
  }
  const decision: ApprovalDecision = {
    id: ctx.decisionId,
    requestId: request.id,
    decision: input.decision,
    actor: actorRef(ctx.actor),
    at: ctx.now,
    fingerprint: request.fingerprint,
    policyVersion: request.policyVersion,
    ...(input.comment === undefined ? {} : { comment: input.comment }),
  };
  const { openRequestId: _closed, ...approval } = quote.approval;
  const decided: Quote = {
    ...quote,
    state: input.decision === 'APPROVE' ? 'approved' : 'rejected',
    updatedAt: ctx.now,
    approval: {
      ...approval,
      decisions: [...approval.decisions, decision],
      ...(input.decision === 'APPROVE'
        ? {
            grant: {
              basis: 'DECISION' as const,
              fingerprint: request.fingerprint,
              policyVersion: request.policyVersion,
              grantedAt: ctx.now,
              requestId: request.id,
              decisionId: decision.id,
            },
          }
        : {}),
    },
  };
  return {
    quote: decided,
    events: [approvalDecided(decided, decision), quoteStateChanged(decided, quote.state)],
  };
}

function openRequest(quote: Quote): ApprovalRequest {
  const request = quote.approval.requests.find((r) => r.id === quote.approval.openRequestId);
  if (!request) {
    throw new DomainError('INVALID_STATE_TRANSITION', 'the quote has no open approval request', {
      quoteId: quote.id,
      state: quote.state,
    });
  }
  return request;
}
