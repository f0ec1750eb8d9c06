import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { outboxEnvelope } from '#adapters/outbox-item';
import type { DomainEvent } from '#domain/events';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { nextStep, recordFallout, recordTaskDispatched, startFulfillment } from '#domain/order/fulfillment';
import { orderCreated } from '#domain/order/order-events';
import type { ProductOrder } from '#domain/order/product-order';
import { approvalRequested, quoteCreated, quoteStateChanged } from '#domain/quote/quote-events';
import type { Quote } from '#domain/quote/quote-types';
import { handler } from '#functions/streams/projector';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { plantedQuote } from '#test/planted-quote';
import { acceptedQuote, at, ctx, orderRequest } from '../unit/oms/fixtures.ts';
import { insertRecord, lambdaContext, outboxItems, saveVersion, streamEvent } from './stream-support.ts';

/**
 * Aggregates as the command side writes them, days old: real domain objects and their real events
 * in the outbox, for the tests of rebuild and reconciliation from the source of record.
 */
/** Delivers the aggregate's outbox items (the first `versions` of them, or all) to the projector. */
export const project = async (kind: 'QUOTE' | 'ORDER', id: string, versions = Number.POSITIVE_INFINITY) =>
  handler(
    streamEvent(
      (await outboxItems(kind, id))
        .filter((item) => (outboxEnvelope<EventEnvelope>(item)?.aggregateVersion ?? 0) <= versions)
        .map(insertRecord),
    ),
    lambdaContext(),
  );

/** What the outbox's TTL does after 7 days: the aggregate's events are gone. */
export const expireOutbox = async (kind: 'QUOTE' | 'ORDER', id: string) => {
  for (const item of await outboxItems(kind, id))
    await documentClient().send(
      new DeleteCommand({ TableName: env.table('aggregates'), Key: { pk: item.pk, sk: item.sk } }),
    );
  expect(await outboxItems(kind, id)).toEqual([]);
};

/** A fiber order as the command side writes it, 16 days ago: created, started, its first task fell out. */
export const saveOldHeldOrder = async (accountId: string) => {
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
export const saveOldPendingQuote = async (accountId: string) => {
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
