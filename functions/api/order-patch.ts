import { patchOrder } from '#commands/order/patch-order';
import { reviseOrder } from '#commands/order/revise-order';
import { apiHandler, fieldErrors } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { orderResponse } from '#plumbing/http/order-http';
import { patchItemsBody, patchProductOrderBody } from '#plumbing/http/order-schemas';

const itemsPatch = patchItemsBody();

/**
 * TMF622 patchProductOrder; with If-Match the client's version must be current (412 otherwise).
 * `productOrderItem` with the new accepted `quote` (and nothing else) is a revision of the order
 * in flight (`reviseOrder`); items alone, or with other attributes, follow the quote (422).
 */
export const handler = apiHandler({
  operation: 'order-patch',
  roles: ['partner', 'sales', 'ops'],
  body: patchProductOrderBody(),
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const orderId = req.params.id ?? '';
    const body = req.body as Record<string, unknown>;
    const onlyItems = Object.keys(body).every((k) => ['quote', 'productOrderItem', '@type'].includes(k));
    if (body.productOrderItem !== undefined && body.quote !== undefined && onlyItems) {
      const parsed = itemsPatch.safeParse(body);
      if (!parsed.success) {
        throw new HttpError(400, 'MALFORMED_REQUEST', 'Request body failed validation', {
          fields: fieldErrors(parsed.error),
        });
      }
      const { quote, productOrderItem } = parsed.data;
      const { order } = await reviseOrder(
        orderId,
        quote[0]!.id,
        { productOrderItem },
        ctx,
        req.headers['if-match'],
      );
      return orderResponse(200, order, req);
    }
    const order = await patchOrder(orderId, req.body, ctx, req.headers['if-match']);
    return orderResponse(200, order, req);
  },
});
