import { loadOrderFor } from '#adapters/order-repository';
import { audienceOf } from '#domain/access/visibility';
import { DomainError } from '#domain/errors';
import { orderIdOfCancel } from '#domain/order/cancel-id';
import { toCancelProductOrderResource } from '#domain/order/product-order-resource';
import { apiHandler } from '#plumbing/http/api-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { retrieveFields, selectFields } from '#plumbing/http/tmf-list';

/** TMF622 retrieveCancelProductOrder: read from the order that holds it (own channel only). */
export const handler = apiHandler({
  operation: 'order-cancel-get',
  roles: ['partner', 'sales', 'ops'],
  handle: async (req) => {
    const fields = retrieveFields(req.query);
    const cancelId = req.params.id ?? '';
    const notFound = new DomainError('NOT_FOUND', `Cancellation ${cancelId} not found`);
    const orderId = orderIdOfCancel(cancelId);
    if (!orderId) throw notFound;
    const stored = await loadOrderFor(req.principal, orderId).catch(() => {
      throw notFound;
    });
    const cancel = stored.aggregate.cancellation;
    if (cancel?.id !== cancelId) throw notFound;
    return {
      status: 200,
      body: selectFields(
        toCancelProductOrderResource(cancel, baseUrlOf(req.headers), audienceOf(req.principal)),
        fields,
      ),
    };
  },
});
