import * as z from 'zod/mini';
import { tmf648QuoteItemSchema } from '#domain/quote/tmf648-quote-item';
import { list, text } from './schema-helpers.ts';
import { tmfPageQuery } from './tmf-list.ts';

// Built by functions, each called once by the function validating with it (see quote-schemas.ts).

const quoteItem = tmf648QuoteItemSchema;

const party = () =>
  z.looseObject({
    id: text(1, 100),
    name: z.optional(text(1, 200)),
    role: z.optional(text(1, 50)),
  });

/** TMF648 Quote_Create; the customer is the related party with role `Customer`. */
export const createTmf648QuoteBody = () =>
  z
    .looseObject({
      quoteItem: list(quoteItem(), 1, 200),
      relatedParty: list(party(), 1, 10),
      externalId: z.optional(text(1, 200)),
      category: z.optional(text(1, 100)),
      validFor: z.optional(z.looseObject({ endDateTime: z.optional(z.iso.datetime({ offset: true })) })),
    })
    .check(
      z.refine((body) => body.relatedParty.some((p) => p.role === 'Customer' && p.name !== undefined), {
        path: ['relatedParty'],
        message: 'a related party with role "Customer", an id and a name is required',
      }),
    );

export const tmf648QuoteStates = [
  'inProgress',
  'pending',
  'approved',
  'accepted',
  'rejected',
  'cancelled',
] as const;

/** TMF648 Quote_Update (merge patch): items, a state to move to, notes for the approver's comment. */
export const patchTmf648QuoteBody = () =>
  z
    .looseObject({
      quoteItem: z.optional(list(quoteItem(), 1, 200)),
      state: z.optional(z.enum(tmf648QuoteStates)),
      note: z.optional(list(z.looseObject({ text: z.optional(text(0, 2000)) }), 0, 10)),
    })
    .check(
      z.refine((b) => b.quoteItem !== undefined || b.state !== undefined, {
        path: ['(body)'],
        message: 'nothing to change: send quoteItem and/or state',
      }),
    );

/** TMF hub registerListener. */
export const hubRegistrationBody = () =>
  z.looseObject({
    callback: text(1, 2000),
    query: z.optional(text(0, 1000)),
  });

export const listQuoteQuery = () =>
  z.object({ ...tmfPageQuery(), state: z.optional(z.enum(tmf648QuoteStates)) });
