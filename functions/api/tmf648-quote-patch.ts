import { randomUUID } from 'node:crypto';
import { resolveChangeLines } from '#commands/inventory/resolve-change-lines';
import { quoteCommand } from '#commands/quote-endpoint';
import { applyTmf648Patch, quoteItemLines, toTmf648Quote } from '#domain/quote/tmf648-quote';
import { HttpError } from '#plumbing/http/http-error';
import { baseUrlOf } from '#plumbing/http/order-http';
import { patchTmf648QuoteBody } from '#plumbing/http/tmf648-schemas';

const decisions = new Set(['approved', 'rejected']);

/** TMF648 patchQuote: item changes (repriced at once) and state changes through the quote commands. */
export const handler = quoteCommand({
  operation: 'tmf648-quote-patch',
  roles: ['partner', 'sales', 'approver'],
  idempotent: false,
  idParam: 'id',
  // Item changes are repriced at once and state changes submit or accept: the current price book is needed.
  catalog: { unavailableCode: 'PRICE_UNVERIFIABLE' },
  body: patchTmf648QuoteBody(),
  // TMF clients rarely send If-Match; when sent, it must be current.
  ifMatch: 'optional',
  guard: (req, stored) => {
    const approver = req.principal.role === 'approver';
    if (approver && (req.body.quoteItem || !decisions.has(req.body.state ?? ''))) {
      throw new HttpError(403, 'FORBIDDEN', 'An approver may only move a quote to approved or rejected');
    }
    // Deciding a pending approval is the approver's, as on POST /quotes/{id}/approvals.
    const decides =
      req.body.state === 'rejected' ||
      (req.body.state === 'approved' && stored.aggregate.state === 'pending');
    if (!approver && decides) {
      throw new HttpError(403, 'FORBIDDEN', `Role ${req.principal.role} may not decide an approval`);
    }
  },
  // Change items are checked against the installed base of the quote's account, as on create.
  resolve: async (req, stored) =>
    req.body.quoteItem
      ? {
          ...req.body,
          lines: await resolveChangeLines(
            quoteItemLines(req.body.quoteItem),
            req.principal,
            stored.aggregate.customer.accountId,
          ),
        }
      : req.body,
  decide: (quote, ctx, body) =>
    applyTmf648Patch(quote, body, ctx, {
      approvalRequestId: `apr-${randomUUID()}`,
      decisionId: `apd-${randomUUID()}`,
      evidenceId: `acc-${randomUUID()}`,
    }),
  render: (quote, req, catalog) => ({
    status: 200,
    body: toTmf648Quote(quote, { role: req.principal.role, catalog, now: req.now }, baseUrlOf(req.headers)),
    headers: { ETag: `"${quote.version}"` },
  }),
});
