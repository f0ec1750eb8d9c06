import { randomUUID } from 'node:crypto';
import { saveAggregate } from '#adapters/aggregate-store';

/**
 * Writes an order aggregate whose outbox says it was created and then fell out (what
 * fulfillment-record writes), so the projector and the gauges see a fallout without waiting for
 * retry budgets. `resume()` writes the state change that ends the fallout.
 */
export const plantFallout = async (opts: { reasonCode: string; since: string; taskId?: string }) => {
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
          fallout: {
            reasonCode: opts.reasonCode,
            ownerTeam: 'network-ops',
            nextAction: 'retry',
            since: opts.since,
            taskId: opts.taskId ?? 't1',
          },
        },
      },
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
