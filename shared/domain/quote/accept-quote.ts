import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { canonicalHash } from '#domain/quote/canonical-hash';
import { quoteAccepted, quoteStateChanged } from '#domain/quote/quote-events';
import {
  assertCurrentPrice,
  assertNotExpired,
  assertState,
  fingerprintOf,
  revalidateLines,
} from '#domain/quote/quote-rules';
import {
  type AcceptanceEvidence,
  actorRef,
  type Quote,
  type QuoteCommandResult,
} from '#domain/quote/quote-types';

/** Acceptance commits the price: every invariant is re-proven here, none is trusted from before. */
export function acceptQuote(
  quote: Quote,
  ctx: CommandContext & { catalog: CatalogRelease; evidenceId: string },
): QuoteCommandResult {
  if (quote.state === 'inProgress' || quote.state === 'pending') {
    throw new DomainError('APPROVAL_REQUIRED', `a quote in state ${quote.state} is not approved`, {
      quoteId: quote.id,
      state: quote.state,
    });
  }
  assertState(quote, ['approved'], 'accept');
  const grant = quote.approval.grant;
  if (!grant)
    throw new DomainError('APPROVAL_REQUIRED', 'the quote holds no approval', { quoteId: quote.id });
  assertCurrentPrice(quote, ctx.catalog);
  const snapshot = quote.priceSnapshot!;
  const current = fingerprintOf(quote, snapshot.priceBookVersion);
  if (grant.fingerprint !== current) {
    throw new DomainError('APPROVAL_STALE', 'the approval covers another state of the quote', {
      quoteId: quote.id,
      approvedFingerprint: grant.fingerprint,
      currentFingerprint: current,
    });
  }
  revalidateLines(quote, ctx.catalog);
  assertNotExpired(quote, ctx.now);

  const evidence: AcceptanceEvidence = {
    id: ctx.evidenceId,
    snapshotHash: canonicalHash(snapshot),
    inputHash: snapshot.inputHash,
    acceptedBy: actorRef(ctx.actor),
    acceptedAt: ctx.now,
    catalogVersion: snapshot.catalogVersion,
    priceBookVersion: snapshot.priceBookVersion,
    policyVersion: snapshot.policyVersion,
    approvalFingerprint: grant.fingerprint,
  };
  const accepted: Quote = { ...quote, state: 'accepted', updatedAt: ctx.now, acceptance: evidence };
  return {
    quote: accepted,
    events: [quoteStateChanged(accepted, quote.state), quoteAccepted(accepted, evidence)],
  };
}
