import * as z from 'zod/mini';
import type { Actor } from '#domain/actor';
import { parseFields } from '#domain/tmf/list-query';
import type { ApiResponse } from './api-handler.ts';
import { isSortKey, listCursor } from './cursor.ts';
import { HttpError } from './http-error.ts';
import { text } from './schema-helpers.ts';

/** TMF list paging shared by listQuote and listCancelProductOrder (built as the schemas are: quote-schemas.ts). */
export const tmfPageQuery = () => ({
  channelId: z.optional(text(1, 200)),
  fields: z.optional(text(1, 500)),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  // Offsets read offset + limit index keys: deep pages follow the cursor instead.
  offset: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(1_000)), 0),
  cursor: z.optional(text(1, 1_000)),
});

const malformed = (fields: { field: string; message: string }[]) =>
  new HttpError(400, 'MALFORMED_REQUEST', 'Query parameters failed validation', { fields });

/** A TMF list request: validated query, the page's start (from a sealed cursor), `fields`. */
export const tmfListRequest = <Q extends { cursor?: string | undefined; fields?: string | undefined }>(
  schema: z.ZodMiniType<Q>,
  req: { query: Record<string, string>; principal: Actor },
  route: string,
) => {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success)
    throw malformed(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
  const { cursor: _cursor, fields, ...filter } = parsed.data;
  const { after, next } = listCursor({ principal: req.principal, route, query: req.query }, isSortKey);
  return { filter, fields: parseFields(fields), next, ...(after ? { after } : {}) };
};

/** A page of TMF resources with `X-Result-Count` and the next page's cursor. */
export const tmfListResponse = (
  resources: Record<string, unknown>[],
  nextCursor: string | undefined,
): ApiResponse => ({
  status: 200,
  body: resources,
  headers: {
    'X-Result-Count': String(resources.length),
    ...(nextCursor ? { 'X-Next-Cursor': nextCursor } : {}),
  },
});
