import { randomUUID } from 'node:crypto';
import { loadCurrentCatalog } from '#adapters/catalog-store';
import { saveNewQuote } from '#adapters/quote-repository';
import { accountClaimOf } from '#domain/quote/account-claim';
import { createQuote, priceQuote } from '#domain/quote/quote';
import { linesFromQuoteItems, toTmf648Quote } from '#domain/quote/tmf648-quote';
import { commandHandler } from '#plumbing/http/command-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { commandContext } from '#plumbing/http/quote-command';
import { createTmf648QuoteBody } from '#plumbing/http/tmf648-schemas';

/** TMF648 createQuote: the `/quotes` create and price commands, one write, a priced quote back. */
export const handler = commandHandler({
  operation: 'tmf648-quote-create',
  roles: ['partner', 'sales'],
  body: createTmf648QuoteBody(),
  handle: async (req) => {
    const { release } = await loadCurrentCatalog();
    const ctx = commandContext(req, release);
    const customer = req.body.relatedParty.find((p) => p.role === 'Customer');
    const created = createQuote(
      {
        customer: {
          accountId: customer?.id ?? '',
          name: customer?.name ?? '',
          ...(req.body.category ? { segment: req.body.category } : {}),
        },
        currency: release.currency,
        lines: linesFromQuoteItems(req.body.quoteItem),
        ...(req.body.validFor?.endDateTime
          ? { validFor: { endDateTime: req.body.validFor.endDateTime } }
          : {}),
        ...(req.body.externalId ? { externalId: req.body.externalId } : {}),
      },
      { ...ctx, quoteId: `q-${randomUUID()}` },
    );
    const priced = priceQuote(created.quote, ctx);
    const claim = accountClaimOf(req.principal, priced.quote.customer.accountId);
    const version = await saveNewQuote(priced.quote, [...created.events, ...priced.events], ctx, claim);
    const view = { role: req.principal.role, catalog: release, now: req.now };
    return {
      status: 201,
      body: toTmf648Quote({ ...priced.quote, version }, view, baseUrlOf(req.headers)),
      headers: { ETag: `"${version}"` },
    };
  },
});
