import { randomUUID } from 'node:crypto';
import { resolveChangeLines } from '#commands/inventory/resolve-change-lines';
import { openQuote } from '#commands/quote-command';
import { createQuote, priceQuote } from '#domain/quote/quote';
import { QUOTE_MANAGEMENT_PATH, quoteItemLines, toTmf648Quote } from '#domain/quote/tmf648-quote';
import { appendNotes } from '#domain/tmf/tmf-attributes';
import { commandHandler } from '#plumbing/http/command-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { createTmf648QuoteBody } from '#plumbing/http/tmf648-schemas';

/** TMF648 createQuote: the `/quotes` create and price commands, one write, a priced quote back. */
export const handler = commandHandler({
  operation: 'tmf648-quote-create',
  roles: ['partner', 'sales'],
  body: createTmf648QuoteBody(),
  clientIdentity: (body) => (body.externalId === undefined ? undefined : `externalId:${body.externalId}`),
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const { relatedParty, description, requestedQuoteCompletionDate, expectedFulfillmentStartDate, note } =
      req.body;
    const customer = relatedParty.find((p) => p.role === 'Customer');
    const others = relatedParty.filter((p) => p !== customer);
    const lines = await resolveChangeLines(
      quoteItemLines(req.body.quoteItem),
      req.principal,
      customer?.id ?? '',
    );
    const { quote, release } = await openQuote(ctx, 'current', (qctx) => {
      const created = createQuote(
        {
          customer: {
            accountId: customer?.id ?? '',
            name: customer?.name ?? '',
            ...(req.body.category ? { segment: req.body.category } : {}),
          },
          currency: qctx.catalog.currency,
          lines,
          ...(req.body.validFor?.endDateTime
            ? { validFor: { endDateTime: req.body.validFor.endDateTime } }
            : {}),
          ...(req.body.externalId ? { externalId: req.body.externalId } : {}),
          attributes: {
            ...(description === undefined ? {} : { description }),
            ...(requestedQuoteCompletionDate === undefined ? {} : { requestedQuoteCompletionDate }),
            ...(expectedFulfillmentStartDate === undefined ? {} : { expectedFulfillmentStartDate }),
            ...(others.length > 0 ? { relatedParties: others } : {}),
            ...(note?.length ? { notes: appendNotes(undefined, note, qctx) } : {}),
          },
        },
        { ...qctx, quoteId: `q-${randomUUID()}` },
      );
      const priced = priceQuote(created.quote, qctx);
      return { quote: priced.quote, events: [...created.events, ...priced.events] };
    });
    const view = { role: req.principal.role, catalog: release, now: req.now };
    return {
      status: 201,
      body: toTmf648Quote(quote, view, baseUrlOf(req.headers)),
      headers: { ETag: `"${quote.version}"`, Location: `${QUOTE_MANAGEMENT_PATH}/quote/${quote.id}` },
    };
  },
});
