import { randomUUID } from 'node:crypto';
import { catalogForDrafts } from '#adapters/catalog-store';
import { saveNewQuote } from '#adapters/quote-repository';
import { accountClaimOf } from '#domain/quote/account-claim';
import { createQuote } from '#domain/quote/quote';
import { commandHandler } from '#plumbing/http/command-handler';
import { commandContext, quoteResponse } from '#plumbing/http/quote-command';
import { createQuoteBody } from '#plumbing/http/quote-schemas';

export const handler = commandHandler({
  operation: 'quote-create',
  roles: ['partner', 'sales'],
  body: createQuoteBody(),
  handle: async (req) => {
    // A new quote is draft work: it goes on with the last release read while the catalog is unreadable.
    const { release, degraded } = await catalogForDrafts();
    const ctx = commandContext(req, release);
    const { quote, events } = createQuote(req.body, { ...ctx, quoteId: `q-${randomUUID()}` });
    const version = await saveNewQuote(
      quote,
      events,
      ctx,
      accountClaimOf(req.principal, quote.customer.accountId),
    );
    return quoteResponse(201, { ...quote, version }, req.principal.role, release, req.now, degraded);
  },
});
