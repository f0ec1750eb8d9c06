import { loadProductFor } from '#adapters/product-repository';
import { toProductResource } from '#domain/inventory/product-resource';
import { apiHandler } from '#plumbing/http/api-handler';
import { baseUrlOf } from '#plumbing/http/order-http';

/** TMF637 retrieveProduct: another channel's product is a 404, as an absent one. */
export const handler = apiHandler({
  operation: 'product-get',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const product = await loadProductFor(req.principal, req.params.id ?? '');
    return {
      status: 200,
      body: toProductResource(product, baseUrlOf(req.headers)),
      headers: { ETag: `"${product.version}"` },
    };
  },
});
