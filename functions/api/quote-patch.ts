import { resolveChangeLines } from '#commands/inventory/resolve-change-lines';
import { quoteCommand } from '#commands/quote-endpoint';
import { replaceLines } from '#domain/quote/quote';
import { replaceLinesBody } from '#plumbing/http/quote-schemas';

export const handler = quoteCommand({
  operation: 'quote-patch',
  // Drafts stay editable while the catalog is unreadable (requirements 000 §18.1); the price is unproven anyway.
  catalog: 'draft',
  roles: ['partner', 'sales'],
  idempotent: false,
  body: replaceLinesBody(),
  // Optimistic concurrency for clients: If-Match carries the version (the ETag) they edited.
  ifMatch: 'required',
  // Change lines are checked against the installed base of the quote's account, as on create.
  resolve: async (req, stored) => ({
    lines: await resolveChangeLines(req.body.lines, req.principal, stored.aggregate.customer.accountId),
  }),
  decide: (quote, ctx, body) => replaceLines(quote, body, ctx),
});
