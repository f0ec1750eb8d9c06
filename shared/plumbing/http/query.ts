import type * as z from 'zod/mini';
import { HttpError } from './http-error.ts';

/** Query parameters through a zod schema: 400 with field-level details, nothing else happens. */
export const parseQuery = <T>(schema: z.ZodMiniType<T>, query: Record<string, string>): T => {
  const result = schema.safeParse(query);
  if (!result.success) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'Query parameters failed validation', {
      fields: result.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message })),
    });
  }
  return result.data;
};
