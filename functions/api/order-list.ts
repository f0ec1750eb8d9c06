import { listOrders } from '#adapters/order-repository';
import { toProductOrderResource } from '#domain/order/product-order-resource';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { baseUrlOf } from '#plumbing/http/order-http';
import { listQuery } from '#plumbing/http/order-schemas';

export const handler = apiHandler({
  operation: 'order-list',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) {
      throw new HttpError(400, 'MALFORMED_REQUEST', 'Query parameters failed validation', {
        fields: query.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    }
    const { total, orders } = await listOrders(req.principal, query.data);
    const base = baseUrlOf(req.headers);
    return {
      status: 200,
      body: orders.map((o) => toProductOrderResource(o, base)),
      headers: { 'X-Total-Count': String(total), 'X-Result-Count': String(orders.length) },
    };
  },
});
