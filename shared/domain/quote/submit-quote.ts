import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { percentFromBasisPoints } from '#domain/money';
import { approvalDueAt, evaluateDealPolicy, maxDiscountBasisPoints } from '#domain/quote/approval-policy';
import { approvalRequested, quoteStateChanged } from '#domain/quote/quote-events';
import {
  assertCurrentPrice,
  assertNotExpired,
  assertState,
  fingerprintOf,
  revalidateLines,
} from '#domain/quote/quote-rules';
import {
  type ApprovalRequest,
  actorRef,
  type Quote,
  type QuoteCommandResult,
} from '#domain/quote/quote-types';

export function submitQuote(
  quote: Quote,
  ctx: CommandContext & { catalog: CatalogRelease; approvalRequestId: string },
): QuoteCommandResult {
  assertState(quote, ['inProgress'], 'submit');
  assertNotExpired(quote, ctx.now);
  revalidateLines(quote, ctx.catalog);
  assertCurrentPrice(quote, ctx.catalog);

  const policyLines = quote.lines.map((l) => ({
    lineId: l.lineId,
    discountBasisPoints: l.discountBasisPoints,
  }));
  const policy = evaluateDealPolicy(policyLines);
  const fingerprint = fingerprintOf(quote, ctx.catalog.priceBookVersion);
  if (policy.outcome === 'POLICY_VIOLATION') {
    throw new DomainError('POLICY_VIOLATION', 'a line discount is above what deal-policy-1 allows', {
      quoteId: quote.id,
      policyVersion: policy.policyVersion,
      lineIds: policy.lineIds,
    });
  }
  if (policy.outcome === 'AUTO_APPROVED') {
    const approved: Quote = {
      ...quote,
      state: 'approved',
      updatedAt: ctx.now,
      approval: {
        ...quote.approval,
        grant: { basis: 'AUTO', fingerprint, policyVersion: policy.policyVersion, grantedAt: ctx.now },
      },
    };
    return { quote: approved, events: [quoteStateChanged(approved, quote.state)] };
  }
  const request: ApprovalRequest = {
    id: ctx.approvalRequestId,
    reasonCodes: policy.reasonCodes,
    lineIds: policy.lineIds,
    maxDiscountPercent: percentFromBasisPoints(maxDiscountBasisPoints(policyLines)),
    policyVersion: policy.policyVersion,
    fingerprint,
    submittedAt: ctx.now,
    dueAt: approvalDueAt(ctx.now),
    requestedBy: actorRef(ctx.actor),
  };
  const pending: Quote = {
    ...quote,
    state: 'pending',
    updatedAt: ctx.now,
    approval: {
      ...quote.approval,
      requests: [...quote.approval.requests, request],
      openRequestId: request.id,
    },
  };
  return {
    quote: pending,
    events: [quoteStateChanged(pending, quote.state), approvalRequested(pending, request)],
  };
}
