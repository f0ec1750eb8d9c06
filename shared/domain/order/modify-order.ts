import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { appendOrderNotes } from '#domain/order/order-bounds';
import { assertOrderState } from '#domain/order/order-changes';
import { orderAttributesChanged } from '#domain/order/order-events';
import { isPastPointOfNoReturn } from '#domain/order/point-of-no-return';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/** What a channel may change on an order before the point of no return (TMF622 PATCH). */
export type OrderModification = {
  externalId?: string;
  description?: string;
  category?: string;
  priority?: string;
  notificationContact?: string;
  requestedCompletionDate?: string;
  requestedStartDate?: string;
  /** Appended; notes are never edited or removed. */
  note?: { id?: string | undefined; text: string }[];
};

export const modifiableAttributes = [
  'externalId',
  'description',
  'category',
  'priority',
  'notificationContact',
  'requestedCompletionDate',
  'requestedStartDate',
  'note',
] as const;

/** The order is the accepted quote's commitment: these follow the quote and never change alone. */
export const quoteBoundAttributes = [
  'productOrderItem',
  'quote',
  'billingAccount',
  'orderTotalPrice',
  'channel',
];

type Scalar = Exclude<keyof OrderModification, 'note'>;
const scalars: Scalar[] = [
  'externalId',
  'description',
  'category',
  'priority',
  'notificationContact',
  'requestedCompletionDate',
  'requestedStartDate',
];

/**
 * PATCH of an order. Refused after the point of no return (billing started or an activation that
 * cannot be undone completed) and in final states; unchanged values change nothing.
 */
export function modifyOrder(
  order: ProductOrder,
  change: OrderModification,
  ctx: CommandContext,
): OrderCommandResult {
  assertOrderState(order, ['acknowledged', 'inProgress', 'held'], 'modify');
  if (isPastPointOfNoReturn(order)) {
    throw new DomainError(
      'POINT_OF_NO_RETURN',
      'The order can no longer be modified: fulfillment is committed',
      {
        orderId: order.id,
      },
    );
  }
  const changed: string[] = [];
  let next: ProductOrder = order;
  for (const key of scalars) {
    const value = change[key];
    if (value !== undefined && value !== order[key]) {
      next = { ...next, [key]: value };
      changed.push(key);
    }
  }
  if (change.note && change.note.length > 0) {
    next = { ...next, notes: appendOrderNotes(order, change.note, ctx) };
    changed.push('note');
  }
  if (changed.length === 0) return { order, events: [] };
  next = { ...next, updatedAt: ctx.now };
  return { order: next, events: [orderAttributesChanged(next, changed)] };
}

/**
 * Which attributes a PATCH may name: quote-bound ones break the order's fidelity to its quote
 * (422), anything else outside the modifiable set is malformed (400). `@`-metadata is ignored.
 */
export function assertPatchable(keys: readonly string[]): void {
  const bound = keys.filter((k) => quoteBoundAttributes.includes(k));
  if (bound.length > 0) {
    throw new DomainError(
      'ORDER_QUOTE_MISMATCH',
      'These attributes follow the accepted quote and cannot change',
      {
        fields: bound.map((field) => ({ field, message: 'fixed by the accepted quote' })),
      },
    );
  }
  const other = keys.filter(
    (k) => !k.startsWith('@') && !(modifiableAttributes as readonly string[]).includes(k),
  );
  if (other.length > 0) {
    throw new DomainError(
      'MALFORMED_REQUEST',
      `Only ${modifiableAttributes.join(', ')} can be modified`,
      { fields: other.map((field) => ({ field, message: 'not modifiable' })) },
      400,
    );
  }
}
