import * as z from 'zod/mini';
import type { Actor } from '#domain/actor';
import { parseFields, selectFields } from '#domain/tmf/list-query';
import type { ApiResponse } from './api-handler.ts';
import { isSortKey, listCursor } from './cursor.ts';
import { HttpError } from './http-error.ts';
import { parseQuery } from './query.ts';
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
export const tmfListRequest = <
  Q extends { cursor?: string | undefined; fields?: string | undefined; offset: number },
>(
  schema: z.ZodMiniType<Q>,
  req: { query: Record<string, string>; principal: Actor },
  route: string,
) => {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success)
    throw malformed(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
  const { cursor, fields, ...filter } = parsed.data;
  const { after, next } = listCursor({ principal: req.principal, route, query: req.query }, isSortKey);
  const position: PagePosition = { offset: parsed.data.offset, cursor };
  return { filter, fields: parseFields(fields), next, position, ...(after ? { after } : {}) };
};

/** Where the page is to be found: by offset, or after a cursor (whose offset is unknown). */
export type PagePosition = { offset: number; cursor?: string | undefined };

/**
 * `X-Total-Count` where it is exact without reading the list: on the last page reached by
 * offset, the total is the offset plus the page (an empty page past the end proves nothing).
 */
export const exactTotal = (
  position: PagePosition,
  count: number,
  next: string | undefined,
): Record<string, string> =>
  next === undefined && position.cursor === undefined && (count > 0 || position.offset === 0)
    ? { 'X-Total-Count': String(position.offset + count) }
    : {};

/** A page of TMF resources with `X-Result-Count`, the next page's cursor and the total where exact. */
export const tmfListResponse = (
  resources: Record<string, unknown>[],
  nextCursor: string | undefined,
  position: PagePosition,
): ApiResponse => ({
  status: 200,
  body: resources,
  headers: {
    'X-Result-Count': String(resources.length),
    ...exactTotal(position, resources.length, nextCursor),
    ...(nextCursor ? { 'X-Next-Cursor': nextCursor } : {}),
  },
});

/** TMF retrieve (GET /resource/{id}): `fields` only, as on the lists. */
export const retrieveQuery = () => z.strictObject({ fields: z.optional(text(1, 500)) });

/** The `fields` a retrieve asked for, validated before anything is read. */
export const retrieveFields = (query: Record<string, string>): string[] | undefined =>
  parseFields(parseQuery(retrieveQuery(), query).fields);

export { selectFields };
