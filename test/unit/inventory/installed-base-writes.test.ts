import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTALLED_ITEMS_PER_WRITE, nextInstalledBaseSlice } from '#domain/inventory/installed-base-writes';
import type { ProductOrder } from '#domain/order/product-order';

const orderOf = (items: number, written?: number) =>
  ({
    items: Array.from({ length: items }, (_, i) => ({ id: `${i + 1}` })),
    ...(written !== undefined ? { installedBaseWritten: written } : {}),
  }) as unknown as ProductOrder;

describe('the installed base of an ending order, slice by slice', () => {
  it('covers every item exactly once, in order, each slice within the transaction budget, the last one ending the order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), (items) => {
        const covered: number[] = [];
        let written: number | undefined;
        for (;;) {
          const slice = nextInstalledBaseSlice(orderOf(items, written));
          expect(slice.to - slice.from).toBeLessThanOrEqual(INSTALLED_ITEMS_PER_WRITE);
          for (let i = slice.from; i < slice.to; i++) covered.push(i);
          if (slice.last) break;
          written = slice.to;
        }
        expect(covered).toEqual(Array.from({ length: items }, (_, i) => i));
      }),
    );
  });

  it('keeps a small order in one write: its products go with its completion', () => {
    expect(nextInstalledBaseSlice(orderOf(INSTALLED_ITEMS_PER_WRITE))).toEqual({
      from: 0,
      to: INSTALLED_ITEMS_PER_WRITE,
      last: true,
    });
  });
});
