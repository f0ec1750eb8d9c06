import { catalogForDrafts } from '#adapters/catalog-store';
import { loadQuoteWithCatalog } from '#adapters/quote-repository';
import { quoteResponse } from '#commands/quote-endpoint';
import { apiHandler } from '#plumbing/http/api-handler';

export const handler = apiHandler({
  operation: 'quote-get',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const read = await loadQuoteWithCatalog(req.principal, req.params.quoteId ?? '');
    const { release, degraded } = await catalogForDrafts(read.catalog);
    const stored = read.quote();
    return quoteResponse(
      200,
      { ...stored.aggregate, version: stored.version },
      req.principal.role,
      release,
      req.now,
      degraded,
    );
  },
});
