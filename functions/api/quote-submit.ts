import { randomUUID } from 'node:crypto';
import { submitQuote } from '#domain/quote/quote';
import { quoteCommand } from '#plumbing/http/quote-command';
import { emptyBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-submit',
  catalog: { unavailableCode: 'PRICE_UNVERIFIABLE' },
  roles: ['partner', 'sales'],
  body: emptyBody(),
  decide: (quote, ctx) => submitQuote(quote, { ...ctx, approvalRequestId: `apr-${randomUUID()}` }),
});
