import { listCancellations } from '#adapters/order-repository';
import { audienceOf } from '#domain/access/visibility';
import { toCancelProductOrderResource } from '#domain/order/product-order-resource';
import { selectFields } from '#domain/tmf/list-query';
import { apiHandler } from '#plumbing/http/api-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { listCancellationQuery } from '#plumbing/http/order-schemas';
import { tmfListRequest, tmfListResponse } from '#plumbing/http/tmf-list';

const querySchema = listCancellationQuery();

/** TMF622 listCancelProductOrder: newest requested first, a channel its own only. */
export const handler = apiHandler({
  operation: 'order-cancel-list',
  roles: ['partner', 'sales', 'ops'],
  handle: async (req) => {
    const { filter, fields, after, next, position } = tmfListRequest(querySchema, req, 'order-cancel-list');
    const page = await listCancellations(req.principal, { ...filter, ...(after ? { after } : {}) });
    const base = baseUrlOf(req.headers);
    return tmfListResponse(
      page.cancellations.map((c) =>
        selectFields(toCancelProductOrderResource(c, base, audienceOf(req.principal)), fields),
      ),
      next(page.next),
      position,
    );
  },
});
