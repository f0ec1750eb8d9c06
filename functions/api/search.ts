import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { loadAggregate } from '#adapters/aggregate-store';
import { loadOrder } from '#adapters/order-repository';
import { searchPage } from '#adapters/search-store';
import { canSee } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { publicFreshness } from '#domain/projections/order-tracking';
import type { Quote } from '#domain/quote/quote-types';
import {
  type Criteria,
  type DocumentType,
  type Scope,
  type SearchDoc,
  searchPlan,
} from '#domain/search/search-index';
import { orderSearchDocFromSource, quoteSearchDocFromSource } from '#domain/search/source-documents';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { parseQuery } from '#plumbing/http/query';
import { orderSearchQuery, quoteSearchQuery } from '#plumbing/http/search-schemas';

/**
 * GET /search/quotes and /search/orders. Near-real-time: documents are projected from the
 * outbox stream and every item says how fresh it is. Partners read their own channel's index
 * partitions only. An exact id (quote number, order id) not yet in the index falls back to the
 * source aggregate.
 */
const scopeOf = (p: Actor): Scope =>
  p.role === 'partner' ? { kind: 'channel', channelId: p.channelId } : { kind: 'all' };

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string, pk: string): Record<string, unknown> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key.pk === pk && typeof key.sk === 'string') return { pk: key.pk, sk: key.sk };
  } catch {
    // fall through: not a cursor of this search
  }
  throw new HttpError(400, 'MALFORMED_REQUEST', 'cursor does not belong to this search', {
    fields: [{ field: 'cursor', message: 'use the cursor of the previous page of the same search' }],
  });
};

const view = (doc: SearchDoc) => {
  if (doc.documentType === 'quote') {
    const { cursor: _c, customer, freshness, ...rest } = doc;
    const { nameLower: _n, ...publicCustomer } = customer;
    return { ...rest, customer: publicCustomer, freshness: publicFreshness(freshness) };
  }
  return { ...doc, freshness: publicFreshness(doc.freshness) };
};

const fromSource = async (type: DocumentType, id: string, principal: Actor, now: string) => {
  if (type === 'quote') {
    const stored = await loadAggregate<Quote>('QUOTE', id);
    return stored
      ? quoteSearchDocFromSource({ ...stored.aggregate, version: stored.version }, now)
      : undefined;
  }
  const stored = await loadOrder(id);
  const doc = stored
    ? orderSearchDocFromSource({ ...stored.aggregate, version: stored.version }, now)
    : undefined;
  return doc && canSee(principal, doc.channelId) ? doc : undefined;
};

const search = (type: DocumentType, exactId: string) =>
  apiHandler({
    operation: `search-${type}s`,
    roles: type === 'quote' ? ['partner', 'sales', 'approver', 'ops'] : ['partner', 'sales', 'ops'],
    handle: async (req) => {
      const schema: z.ZodMiniType<Record<string, unknown>> =
        type === 'quote' ? quoteSearchQuery : orderSearchQuery;
      const { limit, cursor, ...criteria } = parseQuery(schema, req.query) as Criteria & {
        limit: number;
        cursor?: string;
      };
      const scope = scopeOf(req.principal);
      const plan = searchPlan(type, criteria, scope);
      if (!plan) {
        throw new HttpError(400, 'MALFORMED_REQUEST', 'Give at least one search criterion', {
          fields: [{ field: '(query)', message: 'no search criterion' }],
        });
      }
      const page = await searchPage(type, plan, limit, cursor ? decodeCursor(cursor, plan.pk) : undefined);
      let docs = page.docs;
      let source: 'search-index' | 'source' = 'search-index';
      const id = criteria[exactId];
      if (docs.length === 0 && !cursor && id && plan.field === exactId) {
        const doc = await fromSource(type, id, req.principal, req.now);
        if (doc && plan.matches(doc) && (scope.kind === 'all' || doc.channelId === scope.channelId)) {
          docs = [doc];
          source = 'source';
        }
      }
      const lags = docs.map((d) => d.freshness.lagMs);
      return {
        status: 200,
        body: {
          items: docs.map(view),
          ...(page.next ? { cursor: encodeCursor(page.next) } : {}),
          freshness: {
            mode: 'near-real-time',
            source,
            asOf: req.now,
            maxLagMs: lags.length ? Math.max(...lags) : null,
            oldestProjectedAt: docs.map((d) => d.freshness.projectedAt).sort()[0] ?? null,
            note: 'Changes appear after they are projected from the event stream; exact-id searches fall back to the source.',
          },
        },
      };
    },
  });

const routes: Record<string, ReturnType<typeof apiHandler>> = {
  '/search/quotes': search('quote', 'quoteNumber'),
  '/search/orders': search('order', 'orderId'),
};

export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const target = routes[event.resource] ?? routes[event.path];
  if (!target) {
    return {
      statusCode: 404,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        code: 'NOT_FOUND',
        reason: 'No such search',
        message: 'No such search',
        status: '404',
      }),
    };
  }
  return target(event, context);
};
