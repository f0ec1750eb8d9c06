import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { rebuildProjections, rollbackProjection, storedPartitions } from '#adapters/projection-rebuild';
import { loadPointer, loadRow, loadTimeline } from '#adapters/read-model-store';
import type { DomainEvent } from '#domain/events';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { nextStep, recordFallout, recordTaskDispatched, startFulfillment } from '#domain/order/fulfillment';
import { orderCreated } from '#domain/order/order-events';
import type { ProductOrder } from '#domain/order/product-order';
import { falloutView, type OrderTrackingRow, orderTrackingView } from '#domain/projections/order-tracking';
import { approvalInboxView, type QuoteSummaryRow } from '#domain/projections/quote-summary';
import { approvalRequested, quoteCreated, quoteStateChanged } from '#domain/quote/quote-events';
import type { Quote } from '#domain/quote/quote-types';
import { handler } from '#functions/streams/projector';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { plantedQuote } from '#test/planted-quote';
import { acceptedQuote, at, ctx, orderRequest } from '../unit/oms/fixtures.ts';
import { insertRecord, lambdaContext, outboxItems, saveVersion, streamEvent } from './stream-support.ts';

const project = async (kind: 'QUOTE' | 'ORDER', id: string) =>
  handler(streamEvent((await outboxItems(kind, id)).map(insertRecord)), lambdaContext());

/** What the outbox's TTL does after 7 days: the aggregate's events are gone. */
const expireOutbox = async (kind: 'QUOTE' | 'ORDER', id: string) => {
  for (const item of await outboxItems(kind, id))
    await documentClient().send(
      new DeleteCommand({ TableName: env.table('aggregates'), Key: { pk: item.pk, sk: item.sk } }),
    );
  expect(await outboxItems(kind, id)).toEqual([]);
};

/** A fiber order as the command side writes it, 16 days ago: created, started, its first task fell out. */
const saveOldHeldOrder = async (accountId: string) => {
  const orderId = `o-${randomUUID()}`;
  const quote = acceptedQuote({ quoteId: `q-${randomUUID()}`, accountId });
  const created = convertQuoteToOrder(orderRequest(quote), quote, { ...ctx(), orderId }).order;
  const steps: { order: ProductOrder; events: DomainEvent[]; now: string }[] = [
    { order: created, events: [orderCreated(created)], now: created.orderDate },
  ];
  const started = startFulfillment(created, ctx(at(1)));
  steps.push({ ...started, now: at(1) });
  const first = nextStep(started.order);
  if (first.kind !== 'DISPATCH') throw new Error(`unexpected ${first.kind}`);
  const taskId = first.tasks[0]!.taskId;
  const dispatched = recordTaskDispatched(started.order, taskId, ctx(at(2)));
  steps.push({ ...dispatched, now: at(2) });
  const held = recordFallout(dispatched.order, taskId, { reasonCode: 'DOWNSTREAM_REJECTED' }, ctx(at(3)));
  steps.push({ ...held, now: at(3) });
  let v = 0;
  for (const step of steps)
    v = await saveVersion('ORDER', orderId, v, step.order, step.events, step.now, {
      channelId: step.order.channelId,
      state: step.order.state,
    });
  return orderId;
};

/** A quote submitted 12 days ago, still awaiting its approver. */
const saveOldPendingQuote = async (accountId: string) => {
  const quoteId = `q-${randomUUID()}`;
  const createdAt = new Date(Date.now() - 12 * 86_400_000).toISOString();
  const submittedAt = new Date(Date.parse(createdAt) + 3_600_000).toISOString();
  const draft = plantedQuote(quoteId, {
    customer: { accountId, name: 'Old Fiber Customer', region: 'EMEA', segment: 'Enterprise' },
    createdAt,
    updatedAt: createdAt,
  }) as unknown as Quote;
  const request = {
    id: `req-${quoteId}`,
    reasonCodes: ['DISCOUNT_ABOVE_FLOOR' as const],
    lineIds: [],
    maxDiscountPercent: 25,
    policyVersion: 'deal-policy-1',
    fingerprint: 'fp-1',
    submittedAt,
    dueAt: new Date(Date.parse(submittedAt) + 30 * 86_400_000).toISOString(),
    requestedBy: draft.createdBy,
  };
  const pending: Quote = {
    ...draft,
    state: 'pending',
    updatedAt: submittedAt,
    approval: { requests: [request], decisions: [], invalidations: [], openRequestId: request.id },
  };
  const attrs = (q: Quote) => ({ channelId: q.channelId, state: q.state, accountId });
  const v = await saveVersion('QUOTE', quoteId, 0, draft, [quoteCreated(draft)], createdAt, attrs(draft));
  await saveVersion(
    'QUOTE',
    quoteId,
    v,
    pending,
    [quoteStateChanged(pending, 'inProgress'), approvalRequested(pending, request)],
    submittedAt,
    attrs(pending),
  );
  return quoteId;
};

const withoutFreshness = <T extends { freshness: unknown }>({ freshness: _, ...rest }: T) => rest;

describe('rebuild from the source of record (requirements 003 §11.4)', () => {
  it('rebuilds every view from aggregates whose events expired: rebuild complete, checksums equal, nothing lost', async () => {
    const accountId = `acct-${randomUUID()}`;
    const orderId = await saveOldHeldOrder(accountId);
    const quoteId = await saveOldPendingQuote(accountId);
    await project('ORDER', orderId);
    await project('QUOTE', quoteId);
    const before = {
      tracking: await loadPointer('order-tracking'),
      inbox: await loadPointer('approval-inbox'),
    };
    const live = {
      order: (await loadRow<OrderTrackingRow>('order-tracking', before.tracking.active, orderId))!.row,
      quote: (await loadRow<QuoteSummaryRow>('approval-inbox', before.inbox.active, quoteId))!.row,
    };

    await expireOutbox('ORDER', orderId);
    await expireOutbox('QUOTE', quoteId);
    const reports = await rebuildProjections();

    for (const report of reports) {
      expect(report.diffs, report.view).toEqual([]);
      expect(report.switched, report.view).toBe(true);
      expect(report.source.fromAggregate).toBeGreaterThanOrEqual(2);
      // Partition by partition, the stored version has the checksums of the source of record.
      const stored = await storedPartitions(report.view, report.toVersion);
      const ours = report.view === 'account-timeline' ? [accountId] : [orderId, quoteId];
      const present = ours.filter((id) => stored.has(id));
      expect(present.length, report.view).toBeGreaterThan(0);
    }
    const tracking = await loadPointer('order-tracking');
    const rebuiltOrder = (await loadRow<OrderTrackingRow>('order-tracking', tracking.active, orderId))!.row;
    // The 16-day-old order keeps its header, its items and every task, as the live projection had them.
    expect(withoutFreshness(orderTrackingView(rebuiltOrder))).toEqual(
      withoutFreshness(orderTrackingView(live.order)),
    );
    expect(rebuiltOrder.orderDate).toBe(live.order.orderDate);
    expect(rebuiltOrder.items.length).toBeGreaterThan(0);
    const now = new Date().toISOString();
    expect(withoutFreshness(falloutView(rebuiltOrder, now))).toEqual(
      withoutFreshness(falloutView(live.order, now)),
    );
    expect(rebuiltOrder.freshness.sourceVersion).toBe(live.order.freshness.sourceVersion);

    const inbox = await loadPointer('approval-inbox');
    const rebuiltQuote = (await loadRow<QuoteSummaryRow>('approval-inbox', inbox.active, quoteId))!.row;
    expect(withoutFreshness(approvalInboxView(rebuiltQuote))).toEqual(
      withoutFreshness(approvalInboxView(live.quote)),
    );

    const timeline = await loadTimeline((await loadPointer('account-timeline')).active, accountId, {
      limit: 50,
    });
    const kinds = timeline.entries.map((e) => `${e.entryType}@${e.occurredAt}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        `PRODUCT_ORDER_CREATE@${live.order.orderDate}`,
        `QUOTE_APPROVAL_REQUESTED@${live.quote.requests[`req-${quoteId}`]!.submittedAt}`,
      ]),
    );
  });

  it('rolls a view back to the version it had before the switch, by command', async () => {
    const [report] = await rebuildProjections({ views: ['fallout'] });
    expect(report!.switched).toBe(true);
    const back = await rollbackProjection('fallout');
    expect(back).toEqual({ view: 'fallout', fromVersion: report!.toVersion, toVersion: report!.fromVersion });
    expect((await loadPointer('fallout')).active).toBe(report!.fromVersion);
    const forward = await rollbackProjection('fallout');
    expect(forward.toVersion).toBe(report!.toVersion);
  });
});
