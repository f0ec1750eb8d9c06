import { afterEach, describe, expect, it } from 'vitest';
import { client, eventually } from '../../support/api-client.ts';
import { type ChaosRow, rowTitle } from '../../support/faults.ts';
import {
  acceptedFiberQuote,
  activations,
  createOrder,
  getOrder,
  heldFallout,
  orderInState,
  resetFaults,
  setFault,
  settled,
  subscriptions,
} from '../../support/order-flow.ts';

const api = client();
const ops = { token: 'local-ops' };

const row: ChaosRow = {
  row: 8,
  scenario: 'Billing rejects subscription payload',
  injectedFailure: 'billing answers a semantic 422 to the subscription request (simulator reject)',
  affectedJourney: 'order fulfillment: BILLING_HANDOFF after provisioning',
  protectedInvariant: 'an order is never completed without an acknowledged billing subscription',
  expectedTransition: 'inProgress → held (controlled fallout, BILLING_REJECTED), never completed',
  userVisible: 'order state held; fallout view lists it with reason, owner team billing-ops and next action',
  eventOrMetric: 'ProductOrderStateChangeEvent held with fallout; Fallout metric',
  recovery: 'none automatic: a rejection is not retried blindly',
  repairPath: 'ops RETRY of BILLING_HANDOFF after the payload is corrected → completed',
  reconciliationCheck: 'no subscription while held; one subscription after repair',
  passFail: 'held (not completed) with no subscription, completed with one after the repair',
};

describe.sequential('chaos', () => {
  afterEach(resetFaults);

  it(rowTitle(row), async () => {
    const quote = await acceptedFiberQuote();
    await setFault('billing', 'reject', 1);
    const { body } = await createOrder(quote);
    const orderId = body.id as string;
    await orderInState(orderId, 'held');
    await settled(orderId);
    expect(await heldFallout(orderId)).toMatchObject({
      reasonCode: 'BILLING_REJECTED',
      ownerTeam: 'billing-ops',
    });
    expect(await subscriptions(orderId)).toHaveLength(0);
    expect((await activations(orderId)).length).toBeGreaterThan(0);
    expect((await getOrder(orderId)).body.state).toBe('held');
    await eventually(async () => {
      const fallout = await api.get('/views/fallout', ops);
      const item = fallout.body.items.find((i: { orderId: string }) => i.orderId === orderId);
      return item?.nextAction ? item : undefined;
    });

    const retry = await api.post(
      `/ops/orders/${orderId}/tasks/BILLING_HANDOFF/repair`,
      { action: 'RETRY', reasonCode: 'BILLING_PAYLOAD_CORRECTED' },
      ops,
    );
    expect(retry.status).toBeLessThan(300);
    await orderInState(orderId, 'completed');
    await settled(orderId);
    expect(await subscriptions(orderId)).toHaveLength(1);
  });
});
