import { loadOrderFor } from '#adapters/order-repository';
import { apiHandler } from '#plumbing/http/api-handler';
import { orderResponse } from '#plumbing/http/order-http';
import { retrieveFields, selectFields } from '#plumbing/http/tmf-list';

export const handler = apiHandler({
  operation: 'order-get',
  roles: ['partner', 'sales', 'approver', 'ops', 'support'],
  handle: async (req) => {
    const fields = retrieveFields(req.query);
    const stored = await loadOrderFor(req.principal, req.params.id ?? '');
    const response = orderResponse(200, { ...stored.aggregate, version: stored.version }, req);
    return { ...response, body: selectFields(response.body as Record<string, unknown>, fields) };
  },
});
