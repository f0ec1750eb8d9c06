import * as z from 'zod/mini';
import { quoteBoundAttributes } from '#domain/order/modify-order';
import { clientId } from './quote-schemas.ts';
import { list, text } from './schema-helpers.ts';
import { tmfPageQuery } from './tmf-list.ts';

// Built by functions, each called once by the function validating with it (see quote-schemas.ts).

/**
 * A reference the order keeps by id; its descriptive attributes are accepted and answered from
 * the project's own records. Anything else is refused, never dropped.
 */
const idRef = () =>
  z.strictObject({
    id: text(1, 200),
    href: z.optional(text(0, 2000)),
    name: z.optional(text(0, 200)),
    '@referredType': z.optional(text(0, 100)),
  });

/** TMF RelatedParty: kept as sent. */
export const relatedPartySchema = () =>
  z.strictObject({
    id: text(1, 200),
    href: z.optional(text(0, 2000)),
    name: z.optional(text(0, 200)),
    role: z.optional(text(1, 100)),
    '@referredType': z.optional(text(0, 100)),
  });

/**
 * TMF Note as a client adds it: the text and, as TMF requires, maybe its own id (author and date
 * are the caller and the request time).
 */
export const noteSchema = () =>
  z.strictObject({
    id: z.optional(text(1, 100)),
    text: text(1, 2000),
    '@type': z.optional(z.literal('Note')),
  });

/** An order item as a channel names it: its id and the accepted quote line it orders. */
const orderItemSchema = () =>
  z.strictObject({
    // Becomes part of task ids, which are path parameters of the repair route.
    id: clientId(),
    action: text(1, 50),
    quoteItem: z.strictObject({
      id: text(1, 200),
      quoteId: z.optional(text(0, 200)),
      href: z.optional(text(0, 2000)),
      '@referredType': z.optional(text(0, 100)),
    }),
    // The installed product a modify, suspend, resume or delete item changes.
    product: z.optional(
      z.strictObject({
        id: text(1, 128),
        href: z.optional(text(0, 2000)),
        '@type': z.optional(text(0, 100)),
        '@referredType': z.optional(text(0, 100)),
      }),
    ),
    '@type': z.optional(z.literal('ProductOrderItem')),
  });

/**
 * TMF622 POST /productOrder. Strict: attributes the project keeps are listed here, every other
 * attribute is refused with 400 naming it (the order is the accepted quote's commitment, so
 * prices, payment and agreements come from the quote, and the channel from the caller).
 */
export const createProductOrderBody = () =>
  z.strictObject({
    '@type': z.optional(z.literal('ProductOrder')),
    quote: list(idRef(), 1, 10),
    billingAccount: z.optional(
      z.strictObject({
        id: z.optional(text(0, 200)),
        href: z.optional(text(0, 2000)),
        name: z.optional(text(0, 200)),
        '@referredType': z.optional(text(0, 100)),
      }),
    ),
    productOrderItem: list(
      orderItemSchema(),
      1,
      // More than an order holds: the domain refuses an order too large to fulfil with 422 ORDER_TOO_LARGE.
      2_000,
    ),
    externalId: z.optional(text(1, 200)),
    description: z.optional(text(0, 2000)),
    category: z.optional(text(1, 100)),
    priority: z.optional(text(1, 10)),
    requestedCompletionDate: z.optional(z.iso.datetime({ offset: true })),
    requestedStartDate: z.optional(z.iso.datetime({ offset: true })),
    notificationContact: z.optional(text(1, 200)),
    note: z.optional(list(noteSchema(), 0, 10)),
    relatedParty: z.optional(list(relatedPartySchema(), 0, 10)),
  });
export type CreateProductOrderBody = z.infer<ReturnType<typeof createProductOrderBody>>;

/** TMF622 POST /cancelProductOrder. */
export const cancelProductOrderBody = () =>
  z.strictObject({
    '@type': z.optional(z.literal('CancelProductOrder')),
    productOrder: idRef(),
    cancellationReason: text(1, 500),
    requestedCancellationDate: z.optional(z.iso.datetime({ offset: true })),
  });

/**
 * POST /productOrder/{id}/revision: the order moves to a new accepted quote of the same account;
 * its items cover that quote's lines as on creation (kept ids kept, new ids added, missing ids
 * removed).
 */
export const reviseProductOrderBody = () =>
  z.strictObject({
    '@type': z.optional(z.literal('ProductOrderRevision')),
    revision: z.number().check(z.int(), z.minimum(1), z.maximum(1_000)),
    quote: list(idRef(), 1, 1),
    productOrderItem: list(orderItemSchema(), 1, 2_000),
    reason: z.optional(text(1, 500)),
  });
export type ReviseProductOrderBody = z.infer<ReturnType<typeof reviseProductOrderBody>>;

/**
 * A TMF622 PATCH that changes the items: the new accepted quote and the order items covering its
 * lines (merge patch replaces the list whole), alone. It is a revision without a number.
 */
export const patchItemsBody = () =>
  z.strictObject({
    '@type': z.optional(z.literal('ProductOrder')),
    quote: list(idRef(), 1, 1),
    productOrderItem: list(orderItemSchema(), 1, 2_000),
  });

/** TMF622 PATCH /productOrder/{id} (merge patch): only what a channel may change. */
export const patchProductOrderBody = () =>
  z.strictObject({
    '@type': z.optional(z.literal('ProductOrder')),
    externalId: z.optional(text(1, 200)),
    description: z.optional(text(0, 2000)),
    category: z.optional(text(1, 100)),
    priority: z.optional(text(1, 10)),
    notificationContact: z.optional(text(1, 200)),
    requestedCompletionDate: z.optional(z.iso.datetime({ offset: true })),
    requestedStartDate: z.optional(z.iso.datetime({ offset: true })),
    note: z.optional(list(noteSchema(), 0, 10)),
    // Named so that a change of them is refused as the quote's (422), not as unknown (400).
    ...Object.fromEntries(quoteBoundAttributes.map((name) => [name, z.optional(z.unknown())])),
  });

export const repairBody = () =>
  z.object({
    action: z.enum(['RETRY', 'MARK_COMPLETE', 'CANCEL']),
    reasonCode: text(1, 100),
    evidence: z.optional(
      z.looseObject({ downstreamRef: z.optional(text(0, 200)), note: z.optional(text(0, 2000)) }),
    ),
  });

export const orderStates = [
  'acknowledged',
  'inProgress',
  'completed',
  'failed',
  'partial',
  'held',
  'pendingCancellation',
  'cancelled',
  'rejected',
] as const;

/** Unknown parameters are refused: every value that reaches storage was validated here. */
export const listQuery = () =>
  z.strictObject({
    ...Object.fromEntries(
      (['gt', 'gte', 'lt', 'lte'] as const).map((op) => [`orderDate.${op}`, z.optional(text(1, 64))]),
    ),
    state: z.optional(z.enum(orderStates)),
    quoteId: z.optional(text(1, 200)),
    accountId: z.optional(text(1, 200)),
    channelId: z.optional(text(1, 200)),
    externalId: z.optional(text(1, 200)),
    fields: z.optional(text(1, 500)),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
    // Offsets read offset + limit index keys: deep pages follow the cursor instead.
    offset: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(1_000)), 0),
    cursor: z.optional(text(1, 1_000)),
  });

/** TMF622 GET /cancelProductOrder. */
export const listCancellationQuery = () => z.strictObject(tmfPageQuery());
