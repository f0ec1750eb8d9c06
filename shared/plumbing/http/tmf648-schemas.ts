import * as z from 'zod/mini';
import { quoteBounds } from '#domain/quote/quote-bounds';
import { tmf648QuoteItemSchema } from '#domain/quote/tmf648-quote-item';
import { noteSchema, relatedPartySchema } from './order-schemas.ts';
import { clientId } from './quote-schemas.ts';
import { list, text } from './schema-helpers.ts';
import { tmfPageQuery } from './tmf-list.ts';

// Built by functions, each called once by the function validating with it (see quote-schemas.ts).

const quoteItem = tmf648QuoteItemSchema;

// A party's id is the customer's account id: the same id rules as every id a client chooses.
const party = () => z.strictObject({ ...relatedPartySchema().shape, id: clientId() });
const dateTime = () => z.optional(z.iso.datetime({ offset: true }));

/**
 * TMF648 Quote_Create; the customer is the related party with role `Customer`. Strict: the
 * attributes listed are kept, any other is refused with 400 naming it.
 */
export const createTmf648QuoteBody = () =>
  z
    .strictObject({
      '@type': z.optional(z.literal('Quote')),
      quoteItem: list(quoteItem(), 1, quoteBounds.maxLines),
      relatedParty: list(party(), 1, 10),
      externalId: z.optional(text(1, 200)),
      category: z.optional(text(1, 100)),
      description: z.optional(text(0, 2000)),
      requestedQuoteCompletionDate: dateTime(),
      expectedFulfillmentStartDate: dateTime(),
      note: z.optional(list(noteSchema(), 0, 10)),
      // The quote is valid from its creation; a client names only the end.
      validFor: z.optional(z.strictObject({ endDateTime: dateTime() })),
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

/**
 * TMF648 Quote_Update (merge patch): items, a state to move to, notes (an approver's are the
 * decision's comment). Strict, as the create.
 */
export const patchTmf648QuoteBody = () =>
  z
    .strictObject({
      '@type': z.optional(z.literal('Quote')),
      quoteItem: z.optional(list(quoteItem(), 1, quoteBounds.maxLines)),
      state: z.optional(z.enum(tmf648QuoteStates)),
      note: z.optional(list(noteSchema(), 0, 10)),
    })
    .check(
      z.refine((b) => b.quoteItem !== undefined || b.state !== undefined || b.note !== undefined, {
        path: ['(body)'],
        message: 'nothing to change: send quoteItem, state and/or note',
      }),
    );

/** TMF hub registerListener. */
export const hubRegistrationBody = () =>
  z.strictObject({
    callback: text(1, 2000),
    query: z.optional(text(0, 1000)),
  });

export const listQuoteQuery = () =>
  z.strictObject({ ...tmfPageQuery(), state: z.optional(z.enum(tmf648QuoteStates)) });
