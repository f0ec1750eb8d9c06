import { channelScope } from '#domain/access/visibility';
import type { Actor } from '../actor.ts';
import type { CancelProductOrder, ProductOrder } from '../order/product-order.ts';
import type { Quote, QuoteState } from '../quote/quote-types.ts';
import { shardOf, shardSuffixes } from './list-keys.ts';

/**
 * Keys of the TMF lists that are not order lists: quotes (TMF648 listQuote) and cancellations
 * (TMF622 listCancelProductOrder), one index partition per access pattern as for orders.
 */
const two = (n: number) => String(n).padStart(2, '0');

export const quoteIndexKeys = (quote: Pick<Quote, 'id' | 'channelId' | 'state'>) => ({
  quoteChannel: quote.channelId,
  quoteChannelState: `${quote.channelId}#${quote.state}`,
  quoteStateShard: `${quote.state}#${two(shardOf(quote.id))}`,
});

export type ListPlan = { index: string; partitionAttribute: string; partitions: string[] };

/** A partner lists its channel; staff name a channel or list every channel (sharded). */
export const planQuoteList = (
  principal: Actor,
  filter: { state?: QuoteState; channelId?: string },
): ListPlan => {
  const channelId = channelScope(principal, filter.channelId);
  if (channelId && filter.state)
    return {
      index: 'quotesByChannelState',
      partitionAttribute: 'quoteChannelState',
      partitions: [`${channelId}#${filter.state}`],
    };
  if (channelId)
    return { index: 'quotesByChannel', partitionAttribute: 'quoteChannel', partitions: [channelId] };
  if (filter.state)
    return {
      index: 'quotesByStateShard',
      partitionAttribute: 'quoteStateShard',
      partitions: shardSuffixes.map((s) => `${filter.state}#${s}`),
    };
  return {
    index: 'byTypeShard',
    partitionAttribute: 'typeShard',
    partitions: shardSuffixes.map((s) => `quote#${s}`),
  };
};

/**
 * Sparse: only an order with a cancellation is in the cancellation indexes, which carry the
 * cancellation itself, so a page of cancellations reads nothing else.
 */
export const cancellationIndexKeys = (
  order: Pick<ProductOrder, 'id' | 'channelId'> & { cancellation?: CancelProductOrder },
) =>
  order.cancellation
    ? {
        cancelChannel: order.channelId,
        cancelShard: two(shardOf(order.id)),
        cancelListKey: `${order.cancellation.requestedCancellationDate}#${order.cancellation.id}`,
      }
    : {};

export const planCancellationList = (principal: Actor, filter: { channelId?: string }): ListPlan => {
  const channelId = channelScope(principal, filter.channelId);
  return channelId
    ? { index: 'cancellationsByChannel', partitionAttribute: 'cancelChannel', partitions: [channelId] }
    : { index: 'cancellationsByShard', partitionAttribute: 'cancelShard', partitions: shardSuffixes };
};
