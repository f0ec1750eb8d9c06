import { afterEach, describe, expect, it } from 'vitest';
import { type ChaosRow, clearFaults, health, injectFault, rowTitle } from '../../support/faults.ts';
import {
  acceptedFiberQuote,
  activations,
  createOrder,
  events,
  expectEachOnce,
  getOrder,
  orderInState,
  settled,
} from '../../support/order-flow.ts';

const row: ChaosRow = {
  row: 6,
  scenario: 'Event broker unavailable',
  injectedFailure:
    'every EventBridge PutEvents call fails (bus unavailable) for a few seconds, within the publisher retry budget',
  affectedJourney: 'order capture → outbox → bus → fulfillment',
  protectedInvariant: 'the source transaction persists and no event is lost or applied twice',
  expectedTransition:
    'order acknowledged (committed with its outbox item) → after recovery inProgress → completed',
  userVisible:
    '201 on create while the bus is down; GET shows the order acknowledged; it completes after recovery',
  eventOrMetric:
    'EventsPublishFailed while down; each event accepted once by eventId after recovery; /health eventBus degraded',
  recovery: 'the outbox publisher retries the batch (stream retry) until the bus accepts',
  repairPath: 'longer outages: parked events are redriven (rel-recovery, test/e2e for the 60 s outage)',
  reconciliationCheck: 'every order event reached the bus exactly once; activations once per task',
  passFail: 'order committed during the outage, completed after it, each event once',
};

describe.sequential('chaos', () => {
  afterEach(() => clearFaults());

  it(rowTitle(row), async () => {
    const quote = await acceptedFiberQuote();
    await injectFault('event-bus', { unavailable: true });
    expect((await health()).degraded).toContain('eventBus');
    const { body } = await createOrder(quote);
    expect(body.state).toBe('acknowledged');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await getOrder(body.id)).body.state).toBe('acknowledged');
    expect(await events(body.id)).toHaveLength(0);

    await clearFaults();
    await orderInState(body.id, 'completed');
    await settled(body.id);
    const published = await events(body.id);
    const ids = published.map((e) => e.detail.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(published.filter((e) => e['detail-type'] === 'ProductOrderCreateEvent')).toHaveLength(1);
    expectEachOnce(await activations(body.id));
  });
});
