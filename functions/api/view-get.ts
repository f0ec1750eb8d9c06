import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { loadCurrentCatalog } from '#adapters/catalog-store';
import { readPricedHeaders } from '#adapters/quote-headers';
import {
  readApprovalInbox,
  readExpiringQuotes,
  readFallout,
  readOrderSlaRisk,
  readOrderTracking,
  readQuoteWorklist,
  readStaleApprovals,
  readTimeline,
} from '#adapters/read-model-queries';
import { orderSourceState } from '#adapters/source-state';
import { channelRefOf } from '#domain/access/channel-ids';
import { audienceOf, canSee, channelScope, isRegionScoped } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { readableStreams, type TimelineSource } from '#domain/projections/account-timeline';
import {
  falloutView,
  orderTrackingView,
  partnerOrderTrackingView,
  publicFreshness,
} from '#domain/projections/order-tracking';
import { approvalInboxView, expiringQuoteView } from '#domain/projections/quote-summary';
import { orderLookupHref, staleness } from '#domain/projections/staleness';
import { fromCursorPosition, isCursorPosition, toCursorPosition } from '#domain/projections/timeline-pages';
import type { ProjectionIdentity } from '#domain/projections/view-catalog';
import {
  orderSlaRiskView,
  partnerOrderSlaRiskView,
  quoteWorklistView,
  staleApprovalView,
} from '#domain/projections/worklists';
import { withDealMargins } from '#domain/quote/deal-margin';
import { apiHandler } from '#plumbing/http/api-handler';
import { isSortKey, listCursor } from '#plumbing/http/cursor';
import { HttpError } from '#plumbing/http/http-error';
import {
  expiringQuotesQuery,
  quoteWorklistQuery,
  timelineQuery,
  viewPageQuery,
} from '#plumbing/http/ops-schemas';
import { parseQuery } from '#plumbing/http/query';
import { notFound } from '#plumbing/http/responses';

/**
 * All /views/* routes. Read models answer questions, never decide: each row carries its
 * freshness. A partner sees its own channel only (another channel's order is a 404; lists and
 * timelines read the channel's own entries), and partner rows carry no internal fields.
 */
const ownChannel = (principal: Actor) => (channelId: string) => canSee(principal, channelId);

/**
 * The quote summary rows and timeline entries do not carry the customer's region: a seller
 * limited to a region reads its quotes through /search/quotes or the TMF648 list, which check it.
 */
const refuseRegionScoped = (principal: Actor) => {
  if (isRegionScoped(principal))
    throw new HttpError(403, 'FORBIDDEN', 'A seller limited to a region lists quotes through /search/quotes');
};

/**
 * Every list is one page: `limit` (1..100, default 50) and `cursor` (the previous `nextCursor`),
 * through the view's closed query shape (400 on any other parameter or value).
 */
const pageOf = <Q extends { limit?: number }>(
  req: { query: Record<string, string>; principal: Actor },
  route: string,
  shape: z.ZodMiniType<Q>,
) => {
  const query = parseQuery(shape, req.query);
  const limit = query.limit ?? 50;
  const { after, next } = listCursor({ principal: req.principal, route, query: req.query }, isSortKey);
  // A partner reads its own channel's partition: other channels are never read.
  const channelId = channelScope(req.principal, undefined);
  return {
    next,
    query,
    request: { limit, ...(after ? { after } : {}), ...(channelId ? { channelId } : {}) },
  };
};

const list = <T extends { freshness: object }>(
  items: T[],
  now: string,
  nextCursor: string | undefined,
  projection: ProjectionIdentity,
) => ({
  count: items.length,
  items: items.map((item) => ({ ...item, freshness: { ...item.freshness, ...projection } })),
  asOf: now,
  ...(nextCursor ? { nextCursor } : {}),
});

const orderTracking = apiHandler({
  operation: 'view-order-tracking',
  roles: ['partner', 'sales', 'ops', 'support'],
  handle: async (req) => {
    const orderId = req.params.orderId ?? '';
    const href = orderLookupHref(orderId);
    // The view answers even when the source cannot be read: then it cannot tell it is behind.
    const [found, source] = await Promise.all([
      readOrderTracking(orderId),
      orderSourceState(orderId).catch(() => undefined),
    ]);
    const row = found?.row;
    if (!found || !row || !ownChannel(req.principal)(row.channelId)) {
      if (!row && source && ownChannel(req.principal)(source.channelId)) {
        throw new HttpError(404, 'NOT_YET_PROJECTED', `Order ${orderId} is not in the view yet`, {
          sourceLookup: { href },
        });
      }
      throw new DomainError('NOT_FOUND', `Order ${orderId} not found in the order tracking view`);
    }
    const view =
      audienceOf(req.principal) === 'partner'
        ? partnerOrderTrackingView(row, req.now)
        : orderTrackingView(row, req.now);
    const { sourceLookup, ...stale } = staleness(row.freshness.sourceVersion, source, href);
    const freshness = { ...view.freshness, ...stale, ...found.projection };
    return { status: 200, body: { ...view, freshness, sourceLookup } };
  },
});

const approvalInbox = apiHandler({
  operation: 'view-approval-inbox',
  roles: ['approver', 'ops'],
  handle: async (req) => {
    const { request, next } = pageOf(req, 'view-approval-inbox', viewPageQuery);
    const page = await readApprovalInbox(request);
    // Margin stays off events (they reach channels): read from the page's quote headers, staff only.
    const headers = page.rows.length > 0 ? await readPricedHeaders(page.rows.map((r) => r.quoteId)) : [];
    const rows = withDealMargins(page.rows.map(approvalInboxView), headers);
    return { status: 200, body: list(rows, req.now, next(page.next), page.projection) };
  },
});

const expiringQuotes = apiHandler({
  operation: 'view-expiring-quotes',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    refuseRegionScoped(req.principal);
    const { request, next, query } = pageOf(req, 'view-expiring-quotes', expiringQuotesQuery);
    const withinDays = query.withinDays ?? 7;
    const page = await readExpiringQuotes(req.now, withinDays, request);
    // The stale-price flag compares with the current price book; unreadable: unknown (null).
    const priceBook =
      page.rows.length > 0
        ? await loadCurrentCatalog()
            .then((c) => c.release.priceBookVersion)
            .catch(() => undefined)
        : undefined;
    return {
      status: 200,
      body: {
        ...list(
          page.rows.map((r) => expiringQuoteView(r, req.now, priceBook)),
          req.now,
          next(page.next),
          page.projection,
        ),
        withinDays,
      },
    };
  },
});

const fallout = apiHandler({
  operation: 'view-fallout',
  roles: ['ops'],
  handle: async (req) => {
    const { request, next } = pageOf(req, 'view-fallout', viewPageQuery);
    const page = await readFallout(request);
    const rows = page.rows.map((r) => falloutView(r, req.now));
    // Counts of this page; the totals by reason are dashboard signals.
    const byReason: Record<string, number> = {};
    for (const r of rows) byReason[r.reasonCode] = (byReason[r.reasonCode] ?? 0) + 1;
    return { status: 200, body: { ...list(rows, req.now, next(page.next), page.projection), byReason } };
  },
});

/** One seller's worklist: within the partner's own channel, or the channel staff name (else their own). */
const sellerScope = (principal: Actor, query: { owner?: string; channelId?: string }) => {
  if (query.owner === undefined)
    return query.channelId === undefined ? {} : { channelId: channelScope(principal, query.channelId)! };
  const seller = query.owner === 'me' ? principal.principalId : query.owner;
  return { seller, channelId: channelScope(principal, query.channelId ?? principal.channelId)! };
};

const quoteWorklist = apiHandler({
  operation: 'view-quote-worklist',
  roles: ['partner', 'sales', 'ops'],
  handle: async (req) => {
    refuseRegionScoped(req.principal);
    const { request, next, query } = pageOf(req, 'view-quote-worklist', quoteWorklistQuery);
    const page = await readQuoteWorklist({ ...request, ...sellerScope(req.principal, query) });
    const rows = page.rows.map((r) => quoteWorklistView(r, req.now));
    return { status: 200, body: list(rows, req.now, next(page.next), page.projection) };
  },
});

const staleApprovals = apiHandler({
  operation: 'view-stale-approvals',
  roles: ['approver', 'ops'],
  handle: async (req) => {
    const { request, next } = pageOf(req, 'view-stale-approvals', viewPageQuery);
    const page = await readStaleApprovals(request);
    return {
      status: 200,
      body: list(page.rows.map(staleApprovalView), req.now, next(page.next), page.projection),
    };
  },
});

const orderSlaRisk = apiHandler({
  operation: 'view-order-sla-risk',
  roles: ['partner', 'sales', 'ops'],
  handle: async (req) => {
    const { request, next } = pageOf(req, 'view-order-sla-risk', viewPageQuery);
    const page = await readOrderSlaRisk(request);
    const rows: { freshness: object }[] =
      audienceOf(req.principal) === 'partner'
        ? page.rows.map(partnerOrderSlaRiskView)
        : page.rows.map(orderSlaRiskView);
    return { status: 200, body: list(rows, req.now, next(page.next), page.projection) };
  },
});

const timeline = apiHandler({
  operation: 'view-account-timeline',
  roles: ['partner', 'sales', 'ops', 'support'],
  handle: async (req) => {
    refuseRegionScoped(req.principal);
    const accountId = req.params.accountId ?? '';
    const query = parseQuery(timelineQuery, req.query);
    const scope = { principal: req.principal, route: `view-account-timeline/${accountId}`, query: req.query };
    // One position per stream: each source is read on from where the previous page stopped in it.
    const cursor = listCursor(scope, isCursorPosition);
    const after = cursor.after && fromCursorPosition(cursor.after);
    const sources = query.source ? ([...new Set(query.source.split(','))] as TimelineSource[]) : undefined;
    // A partner reads only the streams visible to its channel: staff-only entries are never read.
    const streams = readableStreams(audienceOf(req.principal), sources);
    // A partner's account id names its own channel's account; staff name the real id.
    const page = await readTimeline(channelRefOf(req.principal, accountId), {
      limit: query.limit ?? 50,
      ...(after ? { after } : {}),
      streams,
    });
    return {
      status: 200,
      body: {
        accountId,
        ...list(
          page.entries.map(({ key: _key, freshness, ...e }) => ({
            ...e,
            freshness: publicFreshness(freshness),
          })),
          req.now,
          cursor.next(page.next && toCursorPosition(page.next)),
          page.projection,
        ),
      },
    };
  },
});

const routes: Record<string, ReturnType<typeof apiHandler>> = {
  '/views/order-tracking/{orderId}': orderTracking,
  '/views/approval-inbox': approvalInbox,
  '/views/expiring-quotes': expiringQuotes,
  '/views/fallout': fallout,
  '/views/quote-worklist': quoteWorklist,
  '/views/stale-approvals': staleApprovals,
  '/views/order-sla-risk': orderSlaRisk,
  '/views/accounts/{accountId}/timeline': timeline,
};

const routeOf = (event: APIGatewayProxyEvent): string | undefined => {
  if (event.resource && routes[event.resource]) return event.resource;
  const path = event.path ?? '';
  if (path.startsWith('/views/order-tracking/')) return '/views/order-tracking/{orderId}';
  if (/^\/views\/accounts\/[^/]+\/timeline$/.test(path)) return '/views/accounts/{accountId}/timeline';
  return Object.keys(routes).find((r) => r === path);
};

export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const route = routeOf(event);
  const target = route ? routes[route] : undefined;
  if (!target) return notFound(event, 'No such view');
  return target(event, context);
};
