import { quoteCommand } from '#commands/quote-endpoint';
import { priceQuote } from '#domain/quote/quote';
import { emptyBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-price',
  catalog: { unavailableCode: 'PRICING_UNAVAILABLE' },
  roles: ['partner', 'sales'],
  body: emptyBody(),
  decide: (quote, ctx) => priceQuote(quote, ctx),
});
