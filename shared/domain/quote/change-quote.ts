import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import type { DomainEvent } from '#domain/events';
import { canonicalJson } from '#domain/quote/canonical-hash';
import { configureLinesOrThrow } from '#domain/quote/configuration';
import { assertCurrencyMatches, lineRequestsFrom } from '#domain/quote/create-quote';
import { withoutApproval } from '#domain/quote/invalidate-approval';
import { priceSnapshot } from '#domain/quote/pricing';
import { quoteAttributesChanged, quoteStateChanged } from '#domain/quote/quote-events';
import { assertState, fingerprintOf, pricingInputOf, revalidateLines } from '#domain/quote/quote-rules';
import type { LineInput, Quote, QuoteChangeResult } from '#domain/quote/quote-types';

const CHANGEABLE = ['inProgress', 'pending', 'approved'] as const;

/** PATCH: replaces every line. Identical lines are a no-op; anything else unprices the quote. */
export function replaceLines(
  quote: Quote,
  change: { lines: LineInput[] },
  ctx: CommandContext & { catalog: CatalogRelease },
): QuoteChangeResult {
  assertState(quote, CHANGEABLE, 'change');
  const lines = configureLinesOrThrow(lineRequestsFrom(change.lines), ctx.catalog);
  if (canonicalJson(lines) === canonicalJson(quote.lines)) {
    return { quote, events: [], approvalInvalidated: false };
  }
  const { priceSnapshot: _snapshot, pricedAt: _pricedAt, ...unpriced } = quote;
  const invalidation = withoutApproval({ ...unpriced, lines, updatedAt: ctx.now }, 'LINES_REPLACED', ctx.now);
  const next = invalidation.quote;
  const events: DomainEvent[] = [quoteAttributesChanged(next, ['lines', 'pricingStatus'])];
  if (next.state !== quote.state) events.push(quoteStateChanged(next, quote.state));
  events.push(...invalidation.events);
  return { quote: next, events, approvalInvalidated: invalidation.invalidated };
}

/**
 * Prices on the given (current) release after re-validating the lines against it. An approval
 * survives only when the fingerprint it covered is unchanged (same lines, same price book).
 */
export function priceQuote(
  quote: Quote,
  ctx: CommandContext & { catalog: CatalogRelease },
): QuoteChangeResult {
  assertState(quote, CHANGEABLE, 'price');
  assertCurrencyMatches(quote.currency, ctx.catalog);
  const lines = revalidateLines(quote, ctx.catalog);
  const snapshot = priceSnapshot(pricingInputOf({ currency: quote.currency, lines }), ctx.catalog);
  const unchanged =
    quote.priceSnapshot !== undefined &&
    canonicalJson(quote.priceSnapshot) === canonicalJson(snapshot) &&
    canonicalJson(quote.lines) === canonicalJson(lines);
  if (unchanged) return { quote, events: [], approvalInvalidated: false };

  const priced: Quote = { ...quote, lines, priceSnapshot: snapshot, pricedAt: ctx.now, updatedAt: ctx.now };
  const covered = quote.approval.grant?.fingerprint ?? openRequestFingerprint(quote);
  const stillCovered = covered === undefined || covered === fingerprintOf(priced, snapshot.priceBookVersion);
  const invalidation = stillCovered
    ? { quote: priced, events: [], invalidated: false }
    : withoutApproval(priced, 'REPRICED', ctx.now);
  const next = invalidation.quote;
  const events: DomainEvent[] = [quoteAttributesChanged(next, ['priceSnapshot', 'pricingStatus'])];
  if (next.state !== quote.state) events.push(quoteStateChanged(next, quote.state));
  events.push(...invalidation.events);
  return { quote: next, events, approvalInvalidated: invalidation.invalidated };
}

const openRequestFingerprint = (quote: Quote): string | undefined =>
  quote.approval.requests.find((r) => r.id === quote.approval.openRequestId)?.fingerprint;
