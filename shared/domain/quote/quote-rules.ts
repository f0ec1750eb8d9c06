import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { percentFromBasisPoints } from '#domain/money';
import { approvalFingerprint, POLICY_VERSION } from '#domain/quote/approval-policy';
import { configureLinesOrThrow, type LineRequest } from '#domain/quote/configuration';
import { lineReferencesOf } from '#domain/quote/line-references';
import { type PricingInput, pricingInputHash } from '#domain/quote/pricing';
import type { PricingStatus, Quote, QuoteLine, QuoteState } from '#domain/quote/quote-types';

export function assertState(quote: Quote, allowed: readonly QuoteState[], command: string): void {
  if (!allowed.includes(quote.state)) {
    throw new DomainError('INVALID_STATE_TRANSITION', `cannot ${command} a quote in state ${quote.state}`, {
      quoteId: quote.id,
      state: quote.state,
      command,
    });
  }
}

export const isExpired = (quote: Quote, now: string): boolean =>
  Date.parse(now) >= Date.parse(quote.validFor.endDateTime);

export function assertNotExpired(quote: Quote, now: string): void {
  if (isExpired(quote, now)) {
    throw new DomainError('QUOTE_EXPIRED', `quote expired at ${quote.validFor.endDateTime}`, {
      quoteId: quote.id,
      endDateTime: quote.validFor.endDateTime,
    });
  }
}

export const lineRequestsOf = (lines: readonly QuoteLine[]): LineRequest[] =>
  lines.map((l) => ({
    ...lineReferencesOf(l),
    lineId: l.lineId,
    offeringId: l.offeringId,
    quantity: l.quantity,
    options: l.options,
    discountPercent: percentFromBasisPoints(l.discountBasisPoints),
    ...(l.change ? { change: l.change } : {}),
  }));

/** Every write path re-validates the lines against the release it is about to rely on. */
export const revalidateLines = (quote: Quote, catalog: CatalogRelease): QuoteLine[] =>
  configureLinesOrThrow(lineRequestsOf(quote.lines), catalog);

export const pricingInputOf = (quote: Pick<Quote, 'currency' | 'lines'>): PricingInput => ({
  currency: quote.currency,
  lines: quote.lines.map((l) => ({
    lineId: l.lineId,
    offeringId: l.offeringId,
    quantity: l.quantity,
    options: l.options,
    discountBasisPoints: l.discountBasisPoints,
  })),
});

/** The fingerprint of the quote's price-relevant state on a given price book. */
export const fingerprintOf = (
  quote: Pick<Quote, 'currency' | 'lines'>,
  priceBookVersion: string | null,
): string =>
  approvalFingerprint({
    currency: quote.currency,
    priceBookVersion,
    policyVersion: POLICY_VERSION,
    lines: pricingInputOf(quote).lines,
  });

/** Derived at read time against the current release, so publishing needs no mass update. */
export function pricingStatusOf(quote: Quote, currentCatalog: CatalogRelease): PricingStatus {
  const snapshot = quote.priceSnapshot;
  if (!snapshot) return 'NOT_PRICED';
  if (snapshot.priceBookVersion !== currentCatalog.priceBookVersion) return 'STALE';
  return 'PRICED';
}

export function linePricingStatusOf(
  quote: Quote,
  lineId: string,
  currentCatalog: CatalogRelease,
): PricingStatus {
  const quoteStatus = pricingStatusOf(quote, currentCatalog);
  if (quoteStatus !== 'PRICED' && quoteStatus !== 'STALE') return quoteStatus;
  return quote.priceSnapshot?.lines.some((l) => l.lineId === lineId) ? quoteStatus : 'NOT_PRICED';
}

/** PRICED on the current book, for exactly the current lines. */
export function assertCurrentPrice(quote: Quote, catalog: CatalogRelease): void {
  const status = pricingStatusOf(quote, catalog);
  const snapshot = quote.priceSnapshot;
  if (status === 'STALE') {
    throw new DomainError('STALE_PRICE', 'the quote was priced on an older price book; price it again', {
      quoteId: quote.id,
      pricedOn: snapshot?.priceBookVersion,
      currentPriceBookVersion: catalog.priceBookVersion,
    });
  }
  if (!snapshot || snapshot.inputHash !== pricingInputHash(pricingInputOf(quote), catalog)) {
    throw new DomainError('NOT_PRICED', 'the quote has no price for its current lines', {
      quoteId: quote.id,
    });
  }
}
