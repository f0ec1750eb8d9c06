import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelCancelId, orderIdOfCancel, repairCancelId } from '#domain/order/cancel-id';

describe('cancellation ids', () => {
  it('carry their order id, whichever way the cancellation was requested', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.stringMatching(/^[0-9a-f]{8,32}$/),
        fc.integer({ min: 1, max: 999 }),
        (u, nonce, n) => {
          const orderId = `po-${u}`;
          expect(orderIdOfCancel(channelCancelId(orderId, nonce))).toBe(orderId);
          expect(orderIdOfCancel(repairCancelId(orderId, n))).toBe(orderId);
        },
      ),
    );
  });

  it('anything else names no order', () => {
    for (const id of ['cpo-nothing', '', 'po-1', 'cpo-po-1~xyz']) expect(orderIdOfCancel(id)).toBeUndefined();
  });
});
