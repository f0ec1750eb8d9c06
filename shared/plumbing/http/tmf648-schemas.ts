import { z } from 'zod';

const characteristic = z.looseObject({
  name: z.string().min(1).max(100),
  value: z.union([z.string().max(200), z.number()]),
});

const quoteItem = z.looseObject({
  id: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(50).optional(),
  quantity: z.number().int().optional(),
  productOffering: z.looseObject({ id: z.string().min(1).max(100) }),
  product: z.looseObject({ productCharacteristic: z.array(characteristic).max(50).optional() }).optional(),
  quoteItemPrice: z
    .array(
      z.looseObject({
        priceAlteration: z
          .array(
            z.looseObject({
              price: z.looseObject({ percentage: z.number().min(0).max(100).optional() }).optional(),
            }),
          )
          .max(10)
          .optional(),
      }),
    )
    .max(10)
    .optional(),
});

const party = z.looseObject({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200).optional(),
  role: z.string().min(1).max(50).optional(),
});

/** TMF648 Quote_Create; the customer is the related party with role `Customer`. */
export const createTmf648QuoteBody = z
  .looseObject({
    quoteItem: z.array(quoteItem).min(1).max(200),
    relatedParty: z.array(party).min(1).max(10),
    externalId: z.string().min(1).max(200).optional(),
    category: z.string().min(1).max(100).optional(),
    validFor: z.looseObject({ endDateTime: z.iso.datetime({ offset: true }).optional() }).optional(),
  })
  .superRefine((body, ctx) => {
    const customer = body.relatedParty.find((p) => p.role === 'Customer');
    if (!customer?.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['relatedParty'],
        message: 'a related party with role "Customer", an id and a name is required',
      });
    }
  });
export type CreateTmf648QuoteBody = z.infer<typeof createTmf648QuoteBody>;

export const tmf648QuoteStates = [
  'inProgress',
  'pending',
  'approved',
  'accepted',
  'rejected',
  'cancelled',
] as const;

/** TMF648 Quote_Update (merge patch): items, a state to move to, notes for the approver's comment. */
export const patchTmf648QuoteBody = z
  .looseObject({
    quoteItem: z.array(quoteItem).min(1).max(200).optional(),
    state: z.enum(tmf648QuoteStates).optional(),
    note: z
      .array(z.looseObject({ text: z.string().max(2000).optional() }))
      .max(10)
      .optional(),
  })
  .refine((b) => b.quoteItem !== undefined || b.state !== undefined, {
    message: 'nothing to change: send quoteItem and/or state',
    path: ['(body)'],
  });

export const tmf648ListQuery = z.object({
  state: z.enum(tmf648QuoteStates).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  fields: z.string().max(500).optional(),
});
