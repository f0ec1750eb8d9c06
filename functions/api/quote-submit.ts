import { randomUUID } from 'node:crypto';
import { quoteCommand } from '#commands/quote-endpoint';
import { submitQuote } from '#domain/quote/quote';
import { emptyBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-submit',
  catalog: { unavailableCode: 'PRICE_UNVERIFIABLE' },
  roles: ['partner', 'sales'],
  body: emptyBody(),
  decide: (quote, ctx) => submitQuote(quote, { ...ctx, approvalRequestId: `apr-${randomUUID()}` }),
});
