import { afterEach, describe, expect, it } from 'vitest';
import { type ChaosRow, rowTitle } from '../../support/faults.ts';
import {
  acceptedFiberQuote,
  activations,
  createOrder,
  expectEachOnce,
  orderInState,
  resetFaults,
  setFault,
  settled,
  subscriptions,
  taskHistory,
} from '../../support/order-flow.ts';

const row: ChaosRow = {
  row: 5,
  scenario: 'Downstream provisioning timeout',
  injectedFailure:
    'provisioning does the activation but answers after the dispatch timeout (simulator timeout-after-accept)',
  affectedJourney: 'order fulfillment: ACCESS_PROVISION task',
  protectedInvariant:
    'a task whose outcome is unknown is never sent again before a query proves it was not done',
  expectedTransition:
    'task DISPATCHED → UNKNOWN → (query by correlation id finds it) → DONE; order completed',
  userVisible: 'order tracking shows the task UNKNOWN then DONE; the order completes',
  eventOrMetric: 'FulfillmentTaskStateChangeEvent with state UNKNOWN; UnknownOutcome metric',
  recovery: 'query by correlation id with backoff (state machine)',
  repairPath:
    'if the query never proves an outcome: held UNKNOWN_OUTCOME_UNRESOLVED → ops repair with evidence',
  reconciliationCheck:
    'activations per correlation id = 1; billing subscription exists for the completed order',
  passFail: 'exactly one activation per task, attempts = 1, UNKNOWN seen, order completed',
};

describe.sequential('chaos', () => {
  afterEach(resetFaults);

  it(rowTitle(row), async () => {
    const quote = await acceptedFiberQuote();
    await setFault('provisioning', 'timeout-after-accept', 1);
    const { body } = await createOrder(quote);
    await orderInState(body.id, 'completed');
    await settled(body.id);
    const acts = await activations(body.id);
    expectEachOnce(acts);
    expect(await subscriptions(body.id)).toHaveLength(1);
    const history = await taskHistory(body.id);
    expect(history.some((t) => t.taskId.endsWith('ACCESS_PROVISION') && t.state === 'UNKNOWN')).toBe(true);
    expect(Math.max(...history.map((t) => t.attempts))).toBe(1);
  });
});
