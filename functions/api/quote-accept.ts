import { randomUUID } from 'node:crypto';
import { quoteCommand } from '#commands/quote-endpoint';
import { acceptQuote } from '#domain/quote/quote';
import { emptyBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-accept',
  catalog: { unavailableCode: 'PRICE_UNVERIFIABLE' },
  roles: ['partner', 'sales'],
  body: emptyBody(),
  decide: (quote, ctx) => acceptQuote(quote, { ...ctx, evidenceId: `acc-${randomUUID()}` }),
});
