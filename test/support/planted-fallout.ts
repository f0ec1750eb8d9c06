import { randomUUID } from 'node:crypto';
import { saveAggregate } from '#adapters/aggregate-store';

/** A task's state change as the order's outbox carries it (what the retry backlog counts). */
export type PlantedTask = { taskId: string; downstream: string; state: string; attempts: number };

/**
 * Writes an order aggregate whose outbox says it was created and then fell out at `since` (what
 * fulfillment-record writes), with the task changes given, so the projector and the gauges see a
 * fallout without waiting for retry budgets. `resume()` writes the state change that ends it.
 */
export const plantFallout = async (opts: {
  reasonCode: string;
  since: string;
  taskId?: string;
  nextAction?: string;
  tasks?: PlantedTask[];
}) => {
  const orderId = `o-${randomUUID()}`;
  const header = {
    id: orderId,
    channelId: 'sales-portal',
    accountId: `acct-${randomUUID()}`,
    quoteId: `q-${randomUUID()}`,
  };
  const now = () => new Date().toISOString();
  await saveAggregate({
    kind: 'ORDER',
    id: orderId,
    expectedVersion: 0,
    aggregate: { ...header, state: 'held' },
    events: [
      {
        eventType: 'ProductOrderCreateEvent',
        domain: 'productOrder',
        resource: { ...header, state: 'acknowledged', orderDate: opts.since },
      },
      {
        eventType: 'ProductOrderStateChangeEvent',
        domain: 'productOrder',
        resource: {
          ...header,
          state: 'held',
          previousState: 'inProgress',
          at: opts.since,
          fallout: {
            reasonCode: opts.reasonCode,
            ownerTeam: 'network-ops',
            nextAction: opts.nextAction ?? 'retry',
            since: opts.since,
            taskId: opts.taskId ?? 't1',
          },
        },
      },
      ...(opts.tasks ?? []).map(({ taskId, downstream, state, attempts }) => ({
        eventType: 'FulfillmentTaskStateChangeEvent',
        domain: 'productOrder',
        resource: {
          ...header,
          taskId,
          type: 'PROVISION',
          downstream,
          state,
          attempts,
          lastErrorCode: 'TIMEOUT',
        },
      })),
    ],
    correlationId: randomUUID(),
    now: now(),
  });
  const resume = () =>
    saveAggregate({
      kind: 'ORDER',
      id: orderId,
      expectedVersion: 1,
      aggregate: { ...header, state: 'inProgress' },
      events: [
        {
          eventType: 'ProductOrderStateChangeEvent',
          domain: 'productOrder',
          resource: { ...header, state: 'inProgress' },
        },
      ],
      correlationId: randomUUID(),
      now: now(),
    });
  return { orderId, resume };
};
