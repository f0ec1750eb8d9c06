import { loadOrderFor } from '#adapters/order-repository';
import { apiHandler } from '#plumbing/http/api-handler';
import { orderResponse } from '#plumbing/http/order-http';

export const handler = apiHandler({
  operation: 'order-get',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const stored = await loadOrderFor(req.principal, req.params.id ?? '');
    return orderResponse(200, { ...stored.aggregate, version: stored.version }, req);
  },
});
