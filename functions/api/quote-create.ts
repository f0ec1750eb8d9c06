import { randomUUID } from 'node:crypto';
import { resolveChangeLines } from '#commands/inventory/resolve-change-lines';
import { openQuote } from '#commands/quote-command';
import { quoteResponse } from '#commands/quote-endpoint';
import { createQuote } from '#domain/quote/quote';
import { commandHandler } from '#plumbing/http/command-handler';
import { createQuoteBody } from '#plumbing/http/quote-schemas';

export const handler = commandHandler({
  operation: 'quote-create',
  roles: ['partner', 'sales'],
  body: createQuoteBody(),
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const lines = await resolveChangeLines(req.body.lines, req.principal, req.body.customer.accountId);
    // A new quote is draft work: it goes on with the last release read while the catalog is unreadable.
    const { quote, release, degraded } = await openQuote(ctx, 'draft', (qctx) =>
      createQuote({ ...req.body, lines }, { ...qctx, quoteId: `q-${randomUUID()}` }),
    );
    return quoteResponse(201, quote, req.principal.role, release, req.now, degraded);
  },
});
