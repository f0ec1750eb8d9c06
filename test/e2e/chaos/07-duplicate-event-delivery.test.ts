import { afterEach, describe, expect, it } from 'vitest';
import { type ChaosRow, clearFaults, injectFault, invocations, rowTitle } from '../../support/faults.ts';
import {
  acceptedFiberQuote,
  activations,
  createOrder,
  executions,
  expectEachOnce,
  orderInState,
  settled,
  subscriptions,
} from '../../support/order-flow.ts';

const row: ChaosRow = {
  row: 7,
  scenario: 'Consumer processes same event twice',
  injectedFailure: 'the bus delivers each matched event twice to its target (at-least-once delivery)',
  affectedJourney: 'ProductOrderCreateEvent → fulfillment-starter → Step Functions',
  protectedInvariant: 'a duplicate delivery starts no second workflow and no second side effect',
  expectedTransition: 'one execution per order; order acknowledged → inProgress → completed once',
  userVisible: 'nothing: the order completes normally',
  eventOrMetric: 'the starter sees ExecutionAlreadyExists for the duplicate; one completion event',
  recovery: 'idempotent consumer (execution name from the order id)',
  repairPath: 'none',
  reconciliationCheck: 'activations and subscriptions once per correlation id; one execution for the order',
  passFail: 'one execution, each side effect once, completed',
};

describe.sequential('chaos', () => {
  afterEach(() => clearFaults());

  it(rowTitle(row), async () => {
    const quote = await acceptedFiberQuote();
    const startsBefore = (await invocations())['fulfillment-starter']?.count ?? 0;
    await injectFault('event-bus', {
      duplicateDeliveries: 1,
      duplicateDetailTypes: ['ProductOrderCreateEvent'],
    });
    const { body } = await createOrder(quote);
    await orderInState(body.id, 'completed');
    await settled(body.id);
    // The create event really reached the starter twice.
    expect((await invocations())['fulfillment-starter']?.count).toBe(startsBefore + 2);
    // One fulfillment workflow: one Standard parent (and the one Express child run it started).
    expect((await executions(body.id)).filter((e) => e.type === 'STANDARD')).toHaveLength(1);
    expectEachOnce(await activations(body.id));
    expect(await subscriptions(body.id)).toHaveLength(1);
  });
});
