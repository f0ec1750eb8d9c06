import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '#domain/errors';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { dispatchBatch, dispatchBatchBounds } from '#domain/order/dispatch-batch';
import { modifyOrder } from '#domain/order/modify-order';
import type { TaskRef } from '#domain/order/next-step';
import {
  assertFulfillable,
  fulfillmentBounds,
  keepsHeadroom,
  orderBounds,
  storedBytes,
  utf8Bytes,
} from '#domain/order/order-bounds';
import type { ProductOrder } from '#domain/order/product-order';
import { acceptedQuote, at, ctx, newOrder, orderRequest } from './fixtures.ts';

const expectDomainError = (error: unknown, code: string, status: number) => {
  expect(isDomainError(error) && { code: error.code, status: error.status }).toEqual({ code, status });
};

const note = (chars: number, ch = 'x') => ({ text: ch.repeat(chars) });
const tenNotes = (chars: number, ch?: string) => Array.from({ length: 10 }, () => note(chars, ch));

/** PATCHes of ten notes each until the order refuses one; the order as last accepted. */
const fillWithNotes = (order: ProductOrder, chars: number, ch?: string) => {
  let current = order;
  for (let i = 0; i < 100; i++) {
    try {
      current = modifyOrder(current, { note: tenNotes(chars, ch) }, ctx(at(i))).order;
    } catch (error) {
      return { order: current, refused: error };
    }
  }
  return { order: current, refused: undefined };
};

describe('order notes are bounded', () => {
  it('refuses notes beyond the bound with 422 NOTES_LIMIT_REACHED naming the limits', () => {
    const { order, refused } = fillWithNotes(newOrder(), 2000);
    expect(refused).toBeDefined();
    expectDomainError(refused, 'NOTES_LIMIT_REACHED', 422);
    expect((refused as { details: Record<string, unknown> }).details).toMatchObject({
      limit: { notes: orderBounds.maxNotes, bytes: orderBounds.maxNotesBytes },
    });
    const bytes = (order.notes ?? []).reduce((n, x) => n + utf8Bytes(x.text), 0);
    expect(bytes).toBeLessThanOrEqual(orderBounds.maxNotesBytes);
    expect(order.notes?.length ?? 0).toBeLessThanOrEqual(orderBounds.maxNotes);
  });

  it('counts bytes, not characters: multi-byte notes reach the bound sooner', () => {
    const ascii = fillWithNotes(newOrder(), 1000).order.notes ?? [];
    const accented = fillWithNotes(newOrder(), 1000, 'é').order.notes ?? [];
    expect(accented.reduce((n, x) => n + utf8Bytes(x.text), 0)).toBeLessThanOrEqual(
      orderBounds.maxNotesBytes,
    );
    expect(accented.length).toBeLessThan(ascii.length);
  });

  it('a client filling its order to the bound leaves the repair and cancellation headroom', () => {
    const { order } = fillWithNotes({ ...newOrder(), state: 'inProgress' }, 2000);
    expect(keepsHeadroom(order)).toBe(true);
    expect(storedBytes(order) + orderBounds.reservedBytes).toBeLessThanOrEqual(orderBounds.itemMaxBytes);
  });

  it('property: whatever notes a client sends, accepted ones stay within count and bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ minLength: 1, maxLength: 2000, unit: 'binary' }), { maxLength: 10 }), {
          maxLength: 20,
        }),
        (patches) => {
          let order = newOrder();
          for (const texts of patches) {
            try {
              order = modifyOrder(order, { note: texts.map((text) => ({ text })) }, ctx()).order;
            } catch (error) {
              expectDomainError(error, 'NOTES_LIMIT_REACHED', 422);
            }
          }
          const notes = order.notes ?? [];
          expect(notes.length).toBeLessThanOrEqual(orderBounds.maxNotes);
          expect(notes.reduce((n, x) => n + utf8Bytes(x.text), 0)).toBeLessThanOrEqual(
            orderBounds.maxNotesBytes,
          );
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it("bounds the notes a TMF create carries too, and keeps the writer's visibility on those it accepts", () => {
    const quote = acceptedQuote();
    const create = (note: { text: string }[]) =>
      convertQuoteToOrder({ ...orderRequest(quote), note }, quote, { ...ctx(), orderId: 'ord-n' }).order;
    // Ten notes of 2,000 four-byte characters: 80 KB of UTF-8, beyond the 32 KB an order holds.
    let refused: unknown;
    try {
      create(tenNotes(2000, '\u{1F600}'));
    } catch (error) {
      refused = error;
    }
    expectDomainError(refused, 'NOTES_LIMIT_REACHED', 422);
    const kept = create([note(10)]).notes ?? [];
    expect(kept).toEqual([expect.objectContaining({ text: 'x'.repeat(10), visibility: expect.any(String) })]);
    const patched = modifyOrder(newOrder(), { note: [note(5)] }, ctx(at(1))).order.notes ?? [];
    expect(patched.at(-1)).toMatchObject({ text: 'xxxxx', visibility: expect.any(String) });
  });
});

describe('orders too large to fulfil', () => {
  it('refuses more than 500 items with 422 ORDER_TOO_LARGE naming the limit; 500 are accepted', () => {
    expect(() => assertFulfillable(500)).not.toThrow();
    try {
      assertFulfillable(501);
      expect.unreachable();
    } catch (error) {
      expectDomainError(error, 'ORDER_TOO_LARGE', 422);
      expect((error as { details: Record<string, unknown> }).details).toMatchObject({
        limit: { items: fulfillmentBounds.maxItems },
        requested: { items: 501 },
      });
    }
  });

  it('a dispatch round stays within the state payload bound and always makes progress', () => {
    const ref = (i: number, payloadBytes: number) =>
      ({ taskId: `t-${i}`, payload: { blob: 'x'.repeat(payloadBytes) } }) as unknown as TaskRef;
    expect(dispatchBatch(Array.from({ length: 100 }, (_, i) => ref(i, 10)))).toHaveLength(
      dispatchBatchBounds.maxTasks,
    );
    const big = dispatchBatch(Array.from({ length: 10 }, (_, i) => ref(i, 100 * 1024)));
    expect(big).toHaveLength(1);
    expect(dispatchBatch([ref(0, 300 * 1024)])).toHaveLength(1);
  });
});
