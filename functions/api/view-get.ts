import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import {
  readApprovalInbox,
  readExpiringQuotes,
  readFallout,
  readOrderTracking,
  readTimeline,
} from '#adapters/read-model-queries';
import { orderSourceState } from '#adapters/source-state';
import { channelRefOf } from '#domain/access/channel-ids';
import { decodeCursor, encodeCursor } from '#domain/access/list-keys';
import { audienceOf, canSee, channelScope } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import {
  falloutView,
  orderTrackingView,
  partnerOrderTrackingView,
  publicFreshness,
} from '#domain/projections/order-tracking';
import { approvalInboxView, expiringQuoteView } from '#domain/projections/quote-summary';
import { orderLookupHref, staleness } from '#domain/projections/staleness';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';

/**
 * All /views/* routes. Read models answer questions, never decide: each row carries its
 * freshness. A partner sees its own channel only (another channel's order is a 404; lists and
 * timelines read the channel's own entries), and partner rows carry no internal fields.
 */
const ownChannel = (principal: Actor) => (channelId: string) => canSee(principal, channelId);

/** Every list is one page: `limit` (1..100, default 50) and `cursor` (the previous `nextCursor`). */
const pageOf = (req: { query: Record<string, string | undefined>; principal: Actor }) => {
  const raw = req.query.limit ?? '50';
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'limit must be an integer from 1 to 100', {
      fields: [{ field: 'limit', message: 'integer 1..100' }],
    });
  }
  const cursor = req.query.cursor;
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  if (cursor !== undefined && after === undefined) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'cursor is not one this API returned', {
      fields: [{ field: 'cursor', message: 'use nextCursor of the previous page' }],
    });
  }
  // A partner reads its own channel's partition: other channels are never read.
  const channelId = channelScope(req.principal, undefined);
  return {
    limit,
    ...(after ? { after } : {}),
    ...(channelId ? { channelId } : {}),
  };
};

const list = <T>(items: T[], now: string, next: string | undefined) => ({
  count: items.length,
  items,
  asOf: now,
  ...(next ? { nextCursor: encodeCursor(next) } : {}),
});

const orderTracking = apiHandler({
  operation: 'view-order-tracking',
  roles: ['partner', 'sales', 'ops'],
  handle: async (req) => {
    const orderId = req.params.orderId ?? '';
    const href = orderLookupHref(orderId);
    // The view answers even when the source cannot be read: then it cannot tell it is behind.
    const [row, source] = await Promise.all([
      readOrderTracking(orderId),
      orderSourceState(orderId).catch(() => undefined),
    ]);
    if (!row || !ownChannel(req.principal)(row.channelId)) {
      if (!row && source && ownChannel(req.principal)(source.channelId)) {
        throw new HttpError(404, 'NOT_YET_PROJECTED', `Order ${orderId} is not in the view yet`, {
          sourceLookup: { href },
        });
      }
      throw new DomainError('NOT_FOUND', `Order ${orderId} not found in the order tracking view`);
    }
    const view =
      audienceOf(req.principal) === 'partner' ? partnerOrderTrackingView(row) : orderTrackingView(row);
    const { sourceLookup, ...stale } = staleness(row.freshness.sourceVersion, source, href);
    return { status: 200, body: { ...view, freshness: { ...view.freshness, ...stale }, sourceLookup } };
  },
});

const approvalInbox = apiHandler({
  operation: 'view-approval-inbox',
  roles: ['approver', 'ops'],
  handle: async (req) => {
    const page = await readApprovalInbox(pageOf(req));
    return { status: 200, body: list(page.rows.map(approvalInboxView), req.now, page.next) };
  },
});

const expiringQuotes = apiHandler({
  operation: 'view-expiring-quotes',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const raw = req.query.withinDays ?? '7';
    const withinDays = Number(raw);
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 366) {
      throw new HttpError(400, 'MALFORMED_REQUEST', 'withinDays must be an integer from 0 to 366', {
        fields: [{ field: 'withinDays', message: 'integer 0..366' }],
      });
    }
    const page = await readExpiringQuotes(req.now, withinDays, pageOf(req));
    return {
      status: 200,
      body: {
        ...list(
          page.rows.map((r) => expiringQuoteView(r, req.now)),
          req.now,
          page.next,
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
    const page = await readFallout(pageOf(req));
    const rows = page.rows.map((r) => falloutView(r, req.now));
    // Counts of this page; the totals by reason are dashboard signals.
    const byReason: Record<string, number> = {};
    for (const r of rows) byReason[r.reasonCode] = (byReason[r.reasonCode] ?? 0) + 1;
    return { status: 200, body: { ...list(rows, req.now, page.next), byReason } };
  },
});

const timeline = apiHandler({
  operation: 'view-account-timeline',
  roles: ['partner', 'sales', 'ops'],
  handle: async (req) => {
    const accountId = req.params.accountId ?? '';
    // A partner's account id names its own channel's account; staff name the real id.
    const page = await readTimeline(channelRefOf(req.principal, accountId), pageOf(req));
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
          page.next,
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
  if (!target) {
    return {
      statusCode: 404,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        code: 'NOT_FOUND',
        reason: 'No such view',
        message: 'No such view',
        status: '404',
      }),
    };
  }
  return target(event, context);
};
