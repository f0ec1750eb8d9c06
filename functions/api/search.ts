import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { loadOrder } from '#adapters/order-repository';
import { loadQuote } from '#adapters/quote-loader';
import { searchPage } from '#adapters/search-store';
import { type Audience, audienceOf, canSee, regionAllows } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { publicFreshness } from '#domain/projections/order-tracking';
import {
  type Criteria,
  type DocumentType,
  type Scope,
  type SearchDoc,
  searchPlan,
} from '#domain/search/search-index';
import { orderSearchDocFromSource, quoteSearchDocFromSource } from '#domain/search/source-documents';
import { apiHandler } from '#plumbing/http/api-handler';
import { listCursor } from '#plumbing/http/cursor';
import { HttpError } from '#plumbing/http/http-error';
import { parseQuery } from '#plumbing/http/query';
import { notFound } from '#plumbing/http/responses';
import { orderSearchQuery, quoteSearchQuery } from '#plumbing/http/search-schemas';

/**
 * GET /search/quotes and /search/orders. Near-real-time: documents are projected from the
 * outbox stream and every item says how fresh it is. Partners read their own channel's index
 * partitions only. An exact id (quote number, order id) not yet in the index falls back to the
 * source aggregate.
 */
const scopeOf = (p: Actor): Scope =>
  p.role === 'partner' ? { kind: 'channel', channelId: p.channelId } : { kind: 'all' };

/** A search continues after the last index entry it read, in the partition its plan names. */
const inPartition =
  (pk: string) =>
  (p: unknown): p is { pk: string; sk: string } =>
    typeof p === 'object' &&
    p !== null &&
    (p as { pk?: unknown }).pk === pk &&
    typeof (p as { sk?: unknown }).sk === 'string';

/** Internal criteria: a partner neither reads nor searches by them. */
const internalOrderFields = ['falloutReason', 'downstreamSystems', 'correlationIds'] as const;
const internalOrderCriteria = ['falloutReason', 'downstreamSystem', 'correlationId'];

const view = (audience: Audience) => (doc: SearchDoc) => {
  if (doc.documentType === 'quote') {
    const { cursor: _c, customer, freshness, ...rest } = doc;
    const { nameLower: _n, ...publicCustomer } = customer;
    return { ...rest, customer: publicCustomer, freshness: publicFreshness(freshness) };
  }
  const visible: Record<string, unknown> = { ...doc, freshness: publicFreshness(doc.freshness) };
  if (audience === 'partner') for (const field of internalOrderFields) delete visible[field];
  return visible;
};

const fromSource = async (type: DocumentType, id: string, principal: Actor, now: string) => {
  if (type === 'quote') {
    const stored = await loadQuote(id);
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
    roles:
      type === 'quote' ? ['partner', 'sales', 'approver', 'ops'] : ['partner', 'sales', 'ops', 'support'],
    handle: async (req) => {
      const schema: z.ZodMiniType<Record<string, unknown>> =
        type === 'quote' ? quoteSearchQuery : orderSearchQuery;
      const {
        limit,
        cursor: _cursor,
        ...criteria
      } = parseQuery(schema, req.query) as Criteria & {
        limit: number;
        cursor?: string;
      };
      const audience = audienceOf(req.principal);
      const internal = internalOrderCriteria.filter((c) => type === 'order' && criteria[c] !== undefined);
      if (audience === 'partner' && internal.length > 0) {
        throw new HttpError(400, 'MALFORMED_REQUEST', 'These criteria are internal', {
          fields: internal.map((field) => ({ field, message: 'not a partner search criterion' })),
        });
      }
      const scope = scopeOf(req.principal);
      const plan = searchPlan(type, criteria, scope);
      if (!plan) {
        throw new HttpError(400, 'MALFORMED_REQUEST', 'Give at least one search criterion', {
          fields: [{ field: '(query)', message: 'no search criterion' }],
        });
      }
      const paging = { principal: req.principal, route: `search-${type}s`, query: req.query };
      const { after, next } = listCursor(paging, inPartition(plan.pk));
      const start = after ? { pk: after.pk, sk: after.sk } : undefined;
      const page = await searchPage(type, plan, limit, start);
      // A seller limited to a region finds its region's quotes and those without one.
      const ours = (doc: SearchDoc) =>
        doc.documentType !== 'quote' || regionAllows(req.principal, doc.customer.region);
      let docs = page.docs.filter(ours);
      let source: 'search-index' | 'source' = 'search-index';
      const id = criteria[exactId];
      if (docs.length === 0 && !after && id && plan.field === exactId) {
        const doc = await fromSource(type, id, req.principal, req.now);
        if (
          doc &&
          ours(doc) &&
          plan.matches(doc) &&
          (scope.kind === 'all' || doc.channelId === scope.channelId)
        ) {
          docs = [doc];
          source = 'source';
        }
      }
      const lags = docs.map((d) => d.freshness.lagMs);
      return {
        status: 200,
        body: {
          items: docs.map(view(audience)),
          ...(page.next ? { cursor: next(page.next as { pk: string; sk: string }) } : {}),
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
  if (!target) return notFound(event, 'No such search');
  return target(event, context);
};
