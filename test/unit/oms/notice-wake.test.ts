import { describe, expect, it } from 'vitest';
import { applyDownstreamNotice } from '#domain/order/downstream-notice';
import { recordTaskDispatched } from '#domain/order/fulfillment';
import { acceptTask, scaledTimers } from '#domain/order/long-running';
import { findTask } from '#domain/order/order-changes';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { recordTaskOutcome } from '#domain/order/task-outcome';
import { matchesPattern } from '#local/event-pattern';
import { eventRules, eventSources } from '#topology';
import { ctx, startedOrder, T0 } from './fixtures.ts';

const FIBER = 'item-1-ACCESS_PROVISION';
const later = new Date(Date.parse(T0) + 3600_000).toISOString();
const dispatched = () => recordTaskDispatched(startedOrder(), FIBER, ctx(T0)).order;
const accepted = (): ProductOrder =>
  acceptTask(dispatched(), FIBER, 'prov-42', scaledTimers('ACCESS_PROVISION', undefined, 1), ctx(T0)).order;
const notice = (order: ProductOrder, status: 'PROGRESS' | 'COMPLETED' | 'FAILED') => {
  const outcome = applyDownstreamNotice(
    order,
    FIBER,
    { correlationId: findTask(order, FIBER).correlationId, status, reference: 'prov-42' },
    ctx(later),
  );
  if (outcome.kind !== 'APPLIED') throw new Error(outcome.kind);
  return outcome.change;
};

/** The rules that start a fulfillment run for the events of a change, as the bus routes them. */
const startsRun = (change: OrderCommandResult) =>
  change.events.filter((event) =>
    eventRules
      .filter((rule) => rule.target.function === 'fulfillment-starter')
      .some((rule) =>
        matchesPattern(
          {
            source: eventSources.productOrder,
            'detail-type': event.eventType,
            detail: { resource: event.resource },
          },
          rule.pattern,
        ),
      ),
  );

describe('a downstream notice and the waiting workflow', () => {
  it('a completion notice of accepted work starts a fulfillment run (the order moves on now, not at the next timer)', () => {
    const woken = startsRun(notice(accepted(), 'COMPLETED'));
    expect(woken.map((e) => e.eventType)).toEqual(['FulfillmentTaskStateChangeEvent']);
    expect(woken[0]?.resource).toMatchObject({
      taskId: FIBER,
      state: 'DONE',
      evidence: { source: 'callback' },
    });
  });

  it('a progress or failure notice starts none: progress is no outcome, a failure holds the order by itself', () => {
    expect(startsRun(notice(accepted(), 'PROGRESS'))).toEqual([]);
    const failed = notice(accepted(), 'FAILED');
    expect(failed.order.state).toBe('held');
    expect(startsRun(failed)).toEqual([]);
  });

  it('a task completed inside the workflow (its response, a query) starts no second run', () => {
    const done = recordTaskOutcome(
      dispatched(),
      FIBER,
      { outcome: 'DONE', source: 'response', evidence: { downstreamRef: 'prov-42' } },
      ctx(later),
    );
    if ('stale' in done) throw new Error(done.stale);
    expect(findTask(done.change.order, FIBER).state).toBe('DONE');
    expect(startsRun(done.change)).toEqual([]);
  });
});
