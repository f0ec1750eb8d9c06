import { loadCurrentCatalog } from '#adapters/catalog-store';
import { loadQuoteWithCatalog } from '#adapters/quote-repository';
import { toTmf648Quote } from '#domain/quote/tmf648-quote';
import { apiHandler } from '#plumbing/http/api-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { retrieveFields, selectFields } from '#plumbing/http/tmf-list';

export const handler = apiHandler({
  operation: 'tmf648-quote-get',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const fields = retrieveFields(req.query);
    const read = await loadQuoteWithCatalog(req.principal, req.params.id ?? '');
    const { release } = await loadCurrentCatalog(read.catalog);
    const stored = read.quote();
    const view = { role: req.principal.role, catalog: release, now: req.now };
    return {
      status: 200,
      body: selectFields(
        toTmf648Quote({ ...stored.aggregate, version: stored.version }, view, baseUrlOf(req.headers)),
        fields,
      ),
      headers: { ETag: `"${stored.version}"` },
    };
  },
});
