import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { OrderNote, ProductOrder } from '#domain/order/product-order';
import { appendNotes } from '#domain/tmf/tmf-attributes';

/**
 * How far a client may grow an order. The order aggregate is one DynamoDB item (at most 400 KB):
 * what clients append is bounded in count and in bytes, so that the room ops and the workflow
 * need later (repair records, fallout history, a cancellation, jeopardy alerts, task evidence)
 * is always left and no client command can make the order unwritable.
 */
export const orderBounds = {
  /** DynamoDB's item size limit (attribute names and values, UTF-8). */
  itemMaxBytes: 400 * 1024,
  /** Notes an order holds at most (TMF622 `note`, append-only). */
  maxNotes: 50,
  /** Bytes (UTF-8) of all notes' texts together. */
  maxNotesBytes: 32 * 1024,
  /**
   * Kept free for writes that must always succeed: each repair record (evidence note up to 2,000
   * characters), each resolved fallout, the cancellation, jeopardy alerts.
   */
  reservedBytes: 96 * 1024,
} as const;

const encoder = new TextEncoder();

export const utf8Bytes = (text: string): number => encoder.encode(text).length;

/** The order as stored (its JSON, UTF-8), an upper estimate of the item's DynamoDB size. */
export const storedBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value) ?? '');

const notesBytes = (notes: readonly Pick<OrderNote, 'text'>[]): number =>
  notes.reduce((sum, n) => sum + utf8Bytes(n.text), 0);

/** What a client may still add to the order: the bounds of its notes and what it holds now. */
export type NotesRoom = { count: number; bytes: number };

type NotesHolder = Pick<ProductOrder, 'id' | 'notes'>;

export const notesRoom = (order: NotesHolder): NotesRoom => {
  const notes = order.notes ?? [];
  return {
    count: orderBounds.maxNotes - notes.length,
    bytes: orderBounds.maxNotesBytes - notesBytes(notes),
  };
};

/** Refuses notes beyond the bound with 422 NOTES_LIMIT_REACHED, naming the limits and what is left. */
export const assertNotesFit = (order: NotesHolder, added: readonly { text: string }[]): void => {
  const room = notesRoom(order);
  const bytes = notesBytes(added);
  if (added.length <= room.count && bytes <= room.bytes) return;
  throw new DomainError(
    'NOTES_LIMIT_REACHED',
    `An order holds at most ${orderBounds.maxNotes} notes of ${orderBounds.maxNotesBytes} bytes together`,
    {
      orderId: order.id,
      limit: { notes: orderBounds.maxNotes, bytes: orderBounds.maxNotesBytes },
      remaining: { notes: Math.max(0, room.count), bytes: Math.max(0, room.bytes) },
      requested: { notes: added.length, bytes },
    },
  );
};

/** Every note a client writes to an order (on create and on PATCH) goes through the bound. */
export const appendOrderNotes = (
  order: NotesHolder,
  added: readonly { id?: string | undefined; text: string }[],
  ctx: CommandContext,
): OrderNote[] => {
  assertNotesFit(order, added);
  return appendNotes(order.notes, added, ctx);
};

/**
 * The room an order must keep, beyond what it holds, for everything that may still be written
 * to it: the notes its client may still add and the reserve for repair and cancellation.
 */
export const headroomBytes = (order: ProductOrder): number =>
  Math.max(0, notesRoom(order).bytes) + orderBounds.reservedBytes;

/** Whether the order still keeps its headroom below the item limit. */
export const keepsHeadroom = (order: ProductOrder): boolean =>
  storedBytes(order) + headroomBytes(order) <= orderBounds.itemMaxBytes;

/**
 * What the fulfillment of one order can carry, so that an order accepted with 201 can be
 * fulfilled. Items and tasks are stored in pages and the billing handoff goes in parts of 100
 * items (billing-handoff.ts), so the size of the handoff no longer bounds an order; the count
 * does: cancelling a full order (every forward task and its compensation) rewrites every step
 * page and adds plan pages in one transaction, and DynamoDB takes at most 100 actions. Each
 * handoff part travels in one workflow state (Step Functions: 256 KB, room kept for the rest).
 */
export const fulfillmentBounds = {
  maxItems: 500,
  maxBillingPartBytes: 192 * 1024,
} as const;

/**
 * Refuses, at creation, an order the workflow could not carry: 422 ORDER_TOO_LARGE with the limit.
 * Checked on the request's item count first, then on the largest part of the billing handoff.
 */
export const assertFulfillable = (items: number, billingParts: readonly unknown[] = []): void => {
  const partBytes = Math.max(0, ...billingParts.map(storedBytes));
  if (items <= fulfillmentBounds.maxItems && partBytes <= fulfillmentBounds.maxBillingPartBytes) return;
  throw new DomainError(
    'ORDER_TOO_LARGE',
    `An order holds at most ${fulfillmentBounds.maxItems} items, each part of its billing handoff at most ${fulfillmentBounds.maxBillingPartBytes} bytes; split it into several orders`,
    {
      limit: {
        items: fulfillmentBounds.maxItems,
        billingPartBytes: fulfillmentBounds.maxBillingPartBytes,
      },
      requested: { items, ...(billingParts.length === 0 ? {} : { billingPartBytes: partBytes }) },
    },
  );
};
