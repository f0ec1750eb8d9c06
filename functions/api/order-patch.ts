import { VersionConflict } from '#adapters/aggregate-store';
import { loadOrderFor, saveOrder } from '#adapters/order-repository';
import { DomainError } from '#domain/errors';
import { assertPatchable, modifyOrder } from '#domain/order/modify-order';
import { apiHandler } from '#plumbing/http/api-handler';
import { orderResponse } from '#plumbing/http/order-http';
import { patchProductOrderBody } from '#plumbing/http/order-schemas';

const versionOf = (ifMatch: string) => ifMatch.replace(/^W\//, '').replace(/"/g, '');

/**
 * TMF622 patchProductOrder: channel attributes before the point of no return. With If-Match the
 * client's version must be current (412 otherwise). Without it the patch is a merge of attributes
 * fulfillment never touches, so a concurrent workflow step only means deciding again on the new
 * version (the point of no return is re-checked each time).
 */
export const handler = apiHandler({
  operation: 'order-patch',
  roles: ['partner', 'sales', 'ops'],
  body: patchProductOrderBody(),
  handle: async (req) => {
    assertPatchable(Object.keys(req.body));
    const ifMatch = req.headers['if-match'];
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    for (let attempt = 1; ; attempt++) {
      const stored = await loadOrderFor(req.principal, req.params.id ?? '');
      if (ifMatch !== undefined && versionOf(ifMatch) !== String(stored.version)) {
        throw new DomainError('PRECONDITION_FAILED', `Order is at version ${stored.version}`, {
          currentVersion: stored.version,
        });
      }
      const { order, events } = modifyOrder(stored.aggregate, req.body, ctx);
      try {
        const version =
          events.length === 0 ? stored.version : await saveOrder(order, stored.version, events, ctx);
        return orderResponse(200, { ...order, version }, req.headers);
      } catch (error) {
        if (!(error instanceof VersionConflict) || ifMatch !== undefined || attempt >= 4) throw error;
      }
    }
  },
});
