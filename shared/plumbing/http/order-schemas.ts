import { z } from 'zod';

const ref = z.looseObject({ id: z.string().min(1).max(200) });

/** TMF622 POST /productOrder; other TMF fields are accepted and ignored. */
export const createProductOrderBody = z.looseObject({
  quote: z.array(ref).min(1).max(10),
  billingAccount: z.looseObject({ id: z.string().max(200).optional() }).optional(),
  productOrderItem: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(100),
        action: z.string().min(1).max(50),
        quoteItem: z.looseObject({ id: z.string().min(1).max(200), quoteId: z.string().max(200).optional() }),
      }),
    )
    .min(1)
    .max(200),
  externalId: z.string().min(1).max(200).optional(),
  requestedCompletionDate: z.iso.datetime({ offset: true }).optional(),
});
export type CreateProductOrderBody = z.infer<typeof createProductOrderBody>;

/** TMF622 POST /cancelProductOrder. */
export const cancelProductOrderBody = z.looseObject({
  productOrder: ref,
  cancellationReason: z.string().min(1).max(500),
  requestedCancellationDate: z.iso.datetime({ offset: true }).optional(),
});

export const repairBody = z.object({
  action: z.enum(['RETRY', 'MARK_COMPLETE', 'CANCEL']),
  reasonCode: z.string().min(1).max(100),
  evidence: z
    .looseObject({ downstreamRef: z.string().max(200).optional(), note: z.string().max(2000).optional() })
    .optional(),
});

const orderStates = [
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

export const listQuery = z.object({
  state: z.enum(orderStates).optional(),
  quoteId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
