import { loadOrderFor, saveOrder } from '#adapters/order-repository';
import { DomainError } from '#domain/errors';
import { assertPatchable, modifyOrder } from '#domain/order/modify-order';
import { apiHandler } from '#plumbing/http/api-handler';
import { orderResponse } from '#plumbing/http/order-http';
import { patchProductOrderBody } from '#plumbing/http/order-schemas';

/** If-Match is optional for TMF clients; when sent it must name the current version. */
const ifMatchHolds = (ifMatch: string | undefined, version: number) =>
  ifMatch === undefined || ifMatch.replace(/^W\//, '').replace(/"/g, '') === String(version);

/** TMF622 patchProductOrder: channel attributes before the point of no return. */
export const handler = apiHandler({
  operation: 'order-patch',
  roles: ['partner', 'sales', 'ops'],
  body: patchProductOrderBody,
  handle: async (req) => {
    assertPatchable(Object.keys(req.body));
    const stored = await loadOrderFor(req.principal, req.params.id ?? '');
    if (!ifMatchHolds(req.headers['if-match'], stored.version)) {
      throw new DomainError('PRECONDITION_FAILED', `Order is at version ${stored.version}`, {
        currentVersion: stored.version,
      });
    }
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const { order, events } = modifyOrder(stored.aggregate, req.body, ctx);
    const version =
      events.length === 0 ? stored.version : await saveOrder(order, stored.version, events, ctx);
    return orderResponse(200, { ...order, version }, req.headers);
  },
});
