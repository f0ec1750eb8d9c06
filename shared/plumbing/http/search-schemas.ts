import * as z from 'zod/mini';
import { orderStates } from './order-schemas.ts';
import './schema-helpers.ts';
import { downstreamSystems } from '#domain/order/fulfillment-task';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const id = text(200);
const page = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(
    z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2048}$/, 'opaque cursor from a previous page')),
  ),
};
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** GET /search/quotes (docs/api-contract.md); unknown parameters are refused. */
export const quoteSearchQuery = z.strictObject({
  customerName: z.optional(text(100)),
  quoteNumber: z.optional(id),
  state: z.optional(z.enum(['inProgress', 'pending', 'approved', 'accepted', 'rejected', 'cancelled'])),
  offeringId: z.optional(id),
  expiresBefore: z.optional(instant),
  region: z.optional(text(64)),
  externalId: z.optional(id),
  ...page,
});

/** GET /search/orders (docs/api-contract.md); unknown parameters are refused. */
export const orderSearchQuery = z.strictObject({
  orderId: z.optional(id),
  accountId: z.optional(id),
  state: z.optional(z.enum(orderStates)),
  falloutReason: z.optional(text(64)),
  downstreamSystem: z.optional(z.enum(downstreamSystems)),
  slaBreached: z.optional(z.enum(['true', 'false'])),
  productFamily: z.optional(text(64)),
  correlationId: z.optional(id),
  ...page,
});
