import { z } from 'zod';

const line = z.object({
  offeringId: z.string().min(1).max(100),
  quantity: z.number().int(),
  options: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  discountPercent: z.number().min(0).max(100).optional(),
});

export const createQuoteBody = z.object({
  customer: z.object({
    accountId: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    segment: z.string().max(100).optional(),
    region: z.string().max(100).optional(),
  }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. USD'),
  lines: z.array(line).min(1).max(200),
  validFor: z.object({ endDateTime: z.iso.datetime({ offset: true }) }).optional(),
  externalId: z.string().min(1).max(200).optional(),
});

export const replaceLinesBody = z.object({ lines: z.array(line).min(1).max(200) });

export const approvalBody = z.object({
  decision: z.enum(['APPROVE', 'REJECT']),
  comment: z.string().max(2000).optional(),
});

/** Commands without input accept an empty object; unknown fields are ignored. */
export const emptyBody = z.object({});
