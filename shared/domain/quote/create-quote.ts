import { regionAllows } from '#domain/access/visibility';
import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { configureLinesOrThrow, type LineRequest } from '#domain/quote/configuration';
import { lineReferencesOf } from '#domain/quote/line-references';
import { quoteCreated } from '#domain/quote/quote-events';
import {
  actorRef,
  type CreateQuoteInput,
  type LineInput,
  type Quote,
  type QuoteCommandResult,
} from '#domain/quote/quote-types';

export const DEFAULT_VALIDITY_DAYS = 30;

/** Line ids are positions ('1', '2', ...), so the same body always gives the same quote. */
export const lineRequestsFrom = (lines: readonly LineInput[]): LineRequest[] =>
  lines.map((line, index) => ({
    ...lineReferencesOf(line),
    lineId: String(index + 1),
    offeringId: line.offeringId,
    quantity: line.quantity,
    options: { ...(line.options ?? {}) },
    ...(line.discountPercent === undefined ? {} : { discountPercent: line.discountPercent }),
    ...(line.change ? { change: line.change } : {}),
  }));

export function assertCurrencyMatches(currency: string, catalog: CatalogRelease): void {
  if (currency !== catalog.currency) {
    throw new DomainError(
      'CATALOG_INCOMPATIBLE',
      `catalog ${catalog.catalogVersion} prices in ${catalog.currency}`,
      {
        currency,
        catalogCurrency: catalog.currency,
        catalogVersion: catalog.catalogVersion,
      },
    );
  }
}

export function createQuote(
  input: CreateQuoteInput,
  ctx: CommandContext & { quoteId: string; catalog: CatalogRelease },
): QuoteCommandResult {
  // A seller limited to a region would not see the quote it created for another one.
  if (!regionAllows(ctx.actor, input.customer.region)) {
    throw new DomainError(
      'FORBIDDEN',
      `A seller limited to region ${ctx.actor.region} quotes for that region`,
      { field: 'customer.region' },
      403,
    );
  }
  assertCurrencyMatches(input.currency, ctx.catalog);
  const lines = configureLinesOrThrow(lineRequestsFrom(input.lines), ctx.catalog);
  const quote: Quote = {
    id: ctx.quoteId,
    version: 0,
    ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
    state: 'inProgress',
    customer: { ...input.customer },
    currency: input.currency,
    channelId: ctx.actor.channelId,
    createdBy: actorRef(ctx.actor),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    validFor: { startDateTime: ctx.now, endDateTime: validUntil(input.validFor?.endDateTime, ctx.now) },
    lines,
    approval: { requests: [], decisions: [], invalidations: [] },
    ...input.attributes,
  };
  return { quote, events: [quoteCreated(quote)] };
}

function validUntil(requested: string | undefined, now: string): string {
  const nowMs = Date.parse(now);
  if (requested === undefined) return new Date(nowMs + DEFAULT_VALIDITY_DAYS * 86_400_000).toISOString();
  const endMs = Date.parse(requested);
  if (Number.isNaN(endMs)) {
    throw new DomainError(
      'MALFORMED_REQUEST',
      'validFor.endDateTime is not a date-time',
      { field: 'validFor' },
      400,
    );
  }
  if (endMs <= nowMs) {
    throw new DomainError('QUOTE_EXPIRED', 'validFor.endDateTime must be in the future', {
      endDateTime: requested,
    });
  }
  return new Date(endMs).toISOString();
}
