import { patchOrder } from '#commands/order/patch-order';
import { apiHandler } from '#plumbing/http/api-handler';
import { orderResponse } from '#plumbing/http/order-http';
import { patchProductOrderBody } from '#plumbing/http/order-schemas';

/** TMF622 patchProductOrder; with If-Match the client's version must be current (412 otherwise). */
export const handler = apiHandler({
  operation: 'order-patch',
  roles: ['partner', 'sales', 'ops'],
  body: patchProductOrderBody(),
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const order = await patchOrder(req.params.id ?? '', req.body, ctx, req.headers['if-match']);
    return orderResponse(200, order, req);
  },
});
