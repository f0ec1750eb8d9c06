import { loadAggregate, type Stored, saveAggregate } from '#adapters/aggregate-store';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import type { Quote } from '#domain/quote/quote';

/** A partner sees its own channel only; anything else is indistinguishable from absent. */
export const loadQuoteFor = async (principal: Actor, quoteId: string): Promise<Stored<Quote>> => {
  const stored = await loadAggregate<Quote>('QUOTE', quoteId);
  if (!stored || (principal.role === 'partner' && stored.aggregate.channelId !== principal.channelId)) {
    throw new DomainError('NOT_FOUND', `Quote ${quoteId} not found`);
  }
  return stored;
};

export const saveQuote = (
  quote: Quote,
  expectedVersion: number,
  events: DomainEvent[],
  ctx: { correlationId: string; now: string },
): Promise<number> =>
  saveAggregate({
    kind: 'QUOTE',
    id: quote.id,
    expectedVersion,
    aggregate: quote,
    events,
    correlationId: ctx.correlationId,
    now: ctx.now,
    attributes: { channelId: quote.channelId, state: quote.state, accountId: quote.customer.accountId },
  });
