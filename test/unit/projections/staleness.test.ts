import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderLookupHref, staleness } from '#domain/projections/staleness';

describe('view staleness', () => {
  it('is stale exactly when the source is ahead, and always offers the exact-id lookup', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (projected, source) => {
        const s = staleness(projected, { version: source, channelId: 'c' }, orderLookupHref('o-1'));
        expect(s.stale).toBe(source > projected);
        expect(s.sourceLookup.href).toBe('/tmf-api/productOrderingManagement/v4/productOrder/o-1');
        if (s.stale) expect(s.behindBy).toBe(source - projected);
      }),
    );
  });

  it('cannot call a view stale when the source cannot be read', () => {
    expect(staleness(3, undefined, orderLookupHref('o/1'))).toEqual({
      stale: false,
      sourceLookup: { href: '/tmf-api/productOrderingManagement/v4/productOrder/o%2F1' },
    });
  });
});
