import * as z from 'zod/mini';
import { clientId } from './quote-schemas.ts';
import { list, text } from './schema-helpers.ts';
import { tmfPageQuery } from './tmf-list.ts';

// Built by functions, each called once by the function validating with it (see quote-schemas.ts).

const ref = () => z.looseObject({ id: text(1, 200) });

/** TMF622 POST /productOrder; other TMF fields are accepted and ignored. */
export const createProductOrderBody = () =>
  z.looseObject({
    quote: list(ref(), 1, 10),
    billingAccount: z.optional(z.looseObject({ id: z.optional(text(0, 200)) })),
    productOrderItem: list(
      z.looseObject({
        // Becomes part of task ids, which are path parameters of the repair route.
        id: clientId(),
        action: text(1, 50),
        quoteItem: z.looseObject({ id: text(1, 200), quoteId: z.optional(text(0, 200)) }),
      }),
      1,
      // More than an order holds: the domain refuses an order too large to fulfil with 422 ORDER_TOO_LARGE.
      2_000,
    ),
    externalId: z.optional(text(1, 200)),
    requestedCompletionDate: z.optional(z.iso.datetime({ offset: true })),
  });
export type CreateProductOrderBody = z.infer<ReturnType<typeof createProductOrderBody>>;

/** TMF622 POST /cancelProductOrder. */
export const cancelProductOrderBody = () =>
  z.looseObject({
    productOrder: ref(),
    cancellationReason: text(1, 500),
    requestedCancellationDate: z.optional(z.iso.datetime({ offset: true })),
  });

/** TMF622 PATCH /productOrder/{id} (merge patch): only what a channel may change. */
export const patchProductOrderBody = () =>
  z.looseObject({
    externalId: z.optional(text(1, 200)),
    description: z.optional(text(0, 2000)),
    priority: z.optional(text(1, 10)),
    requestedCompletionDate: z.optional(z.iso.datetime({ offset: true })),
    requestedStartDate: z.optional(z.iso.datetime({ offset: true })),
    note: z.optional(list(z.looseObject({ text: text(1, 2000) }), 0, 10)),
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

export const listQuery = () =>
  z.object({
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
export const listCancellationQuery = () => z.object(tmfPageQuery());
