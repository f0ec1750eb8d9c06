import { loadCurrentCatalog } from '#adapters/catalog-store';
import { toCatalogResource } from '#domain/catalog/catalog-resource';
import { apiHandler } from '#plumbing/http/api-handler';

export const handler = apiHandler({
  operation: 'catalog-get',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const { release } = await loadCurrentCatalog();
    return { status: 200, body: toCatalogResource(release, req.principal.role) };
  },
});
