import type { CommandContext } from '#domain/actor';
import { quoteStateChanged } from '#domain/quote/quote-events';
import { assertState } from '#domain/quote/quote-rules';
import type { Quote, QuoteCommandResult } from '#domain/quote/quote-types';

/**
 * A quote the customer no longer wants. An accepted quote is a commitment and stays; an open
 * approval request closes with the quote, so it leaves the approval inbox.
 */
export function cancelQuote(quote: Quote, ctx: CommandContext): QuoteCommandResult {
  if (quote.state === 'cancelled') return { quote, events: [] };
  assertState(quote, ['inProgress', 'pending', 'approved'], 'cancel');
  const { openRequestId: _closed, ...approval } = quote.approval;
  const cancelled: Quote = { ...quote, state: 'cancelled', updatedAt: ctx.now, approval };
  return { quote: cancelled, events: [quoteStateChanged(cancelled, quote.state)] };
}
