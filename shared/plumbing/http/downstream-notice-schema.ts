import * as z from 'zod/mini';
import { text } from './schema-helpers.ts';

/** A downstream's notice; evidence is small and flat (it is kept on the task when the work completes). */
export const downstreamNoticeBody = () =>
  z.object({
    correlationId: text(1, 200),
    status: z.enum(['PROGRESS', 'COMPLETED', 'FAILED']),
    reference: text(1, 200),
    sequence: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000_000))),
    message: z.optional(text(0, 200)),
    evidence: z.optional(
      z
        .record(z.string().check(z.maxLength(50)), z.union([text(0, 200), z.number(), z.boolean()]))
        .check(z.refine((e) => Object.keys(e).length <= 10, { message: 'at most 10 evidence fields' })),
    ),
  });
