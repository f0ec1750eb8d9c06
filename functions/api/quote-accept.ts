import { randomUUID } from 'node:crypto';
import { acceptQuote } from '#domain/quote/quote';
import { quoteCommand } from '#plumbing/http/quote-command';
import { emptyBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-accept',
  catalog: { unavailableCode: 'PRICE_UNVERIFIABLE' },
  roles: ['partner', 'sales'],
  body: emptyBody(),
  decide: (quote, ctx) => acceptQuote(quote, { ...ctx, evidenceId: `acc-${randomUUID()}` }),
});
