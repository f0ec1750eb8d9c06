import { loadCurrentCatalog } from '#adapters/catalog-store';
import { listQuotes } from '#adapters/quote-repository';
import { toTmf648Quote } from '#domain/quote/tmf648-quote';
import { selectFields } from '#domain/tmf/list-query';
import { apiHandler } from '#plumbing/http/api-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { tmfListRequest, tmfListResponse } from '#plumbing/http/tmf-list';
import { listQuoteQuery } from '#plumbing/http/tmf648-schemas';

const querySchema = listQuoteQuery();

/** TMF648 listQuote: newest first, a partner its own channel, one page of quotes read. */
export const handler = apiHandler({
  operation: 'tmf648-quote-list',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const { filter, fields, after, next, position } = tmfListRequest(querySchema, req, 'tmf648-quote-list');
    const [{ release }, page] = await Promise.all([
      loadCurrentCatalog(),
      listQuotes(req.principal, { ...filter, ...(after ? { after } : {}) }),
    ]);
    const view = { role: req.principal.role, catalog: release, now: req.now };
    const base = baseUrlOf(req.headers);
    return tmfListResponse(
      page.quotes.map((q) => selectFields(toTmf648Quote(q, view, base), fields)),
      next(page.next),
      position,
    );
  },
});
