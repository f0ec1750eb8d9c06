import { catalogForDrafts } from '#adapters/catalog-store';
import { loadQuoteFor } from '#adapters/quote-repository';
import { apiHandler } from '#plumbing/http/api-handler';
import { quoteResponse } from '#plumbing/http/quote-command';

export const handler = apiHandler({
  operation: 'quote-get',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const [{ release, degraded }, stored] = await Promise.all([
      catalogForDrafts(),
      loadQuoteFor(req.principal, req.params.quoteId ?? ''),
    ]);
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
