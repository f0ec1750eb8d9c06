import * as z from 'zod/mini';
import { changeLineInputSchema } from '#domain/inventory/change-line-input';
import { lineInputSchema } from '#domain/quote/line-input';
import { quoteBounds } from '#domain/quote/quote-bounds';
import { api } from '#topology';
import { list, text } from './schema-helpers.ts';

/**
 * Request schemas are built by functions, each called once by the function that validates with
 * it: a zod schema is an object built at run time, so a module of top-level schemas would build
 * every one of them at the init of every function importing any one (the bundler cannot drop a
 * construction it cannot prove free of side effects). Unused builders are dropped.
 */

/** Ids a client chooses that later appear in paths (`/views/accounts/{accountId}/…`). */
export const clientId = () =>
  z.string().check(z.regex(new RegExp(api.limits.idPattern), 'letters, digits and ._:~- (max 128)'));

/** A new sale, or (tried first, so a product reference is never dropped) a change of an installed product. */
const lineOrChange = () => z.union([changeLineInputSchema(), lineInputSchema()]);

export const createQuoteBody = () =>
  z.object({
    customer: z.object({
      accountId: clientId(),
      name: text(1, 200),
      segment: z.optional(text(0, 100)),
      region: z.optional(text(0, 100)),
    }),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. USD')),
    lines: list(lineOrChange(), 1, quoteBounds.maxLines),
    validFor: z.optional(z.object({ endDateTime: z.iso.datetime({ offset: true }) })),
    externalId: z.optional(text(1, 200)),
  });

export const replaceLinesBody = () => z.object({ lines: list(lineOrChange(), 1, quoteBounds.maxLines) });

export const approvalBody = () =>
  z.object({
    decision: z.enum(['APPROVE', 'REJECT']),
    comment: z.optional(text(0, 2000)),
  });

/** Commands without input accept an empty object; unknown fields are ignored. */
export const emptyBody = () => z.object({});
