import { afterEach, describe, expect, it } from 'vitest';
import { client } from '../../support/api-client.ts';
import { type ChaosRow, rowTitle } from '../../support/faults.ts';
import {
  acceptedFiberQuote,
  createOrder,
  getOrder,
  orderInState,
  resetFaults,
  setFault,
  settled,
  subscriptions,
} from '../../support/order-flow.ts';

const api = client();
const ops = { token: 'local-ops' };

const row: ChaosRow = {
  row: 10,
  scenario: 'Repair user attempts unsafe force complete',
  injectedFailure: 'billing rejects, the order is held; users then try MARK_COMPLETE without proof',
  affectedJourney: 'ops repair of a held order',
  protectedInvariant: 'a task is marked complete only with evidence the downstream did it, and only by ops',
  expectedTransition: 'none: the order stays held',
  userVisible: '403 for non-ops roles; 422 EVIDENCE_REQUIRED without evidence',
  eventOrMetric: 'no FulfillmentTaskRepairEvent for a refused repair; CommandRejected counted',
  recovery: 'none needed',
  repairPath: 'RETRY (or MARK_COMPLETE with a downstream-confirmed reference)',
  reconciliationCheck: 'held order has no billing subscription; no completion without one',
  passFail: 'every unsafe attempt refused, the order still held with no subscription',
};

describe.sequential('chaos', () => {
  afterEach(resetFaults);

  it(rowTitle(row), async () => {
    const quote = await acceptedFiberQuote();
    await setFault('billing', 'reject', 1);
    const orderId = (await createOrder(quote)).body.id as string;
    await orderInState(orderId, 'held');
    await settled(orderId);
    const path = `/ops/orders/${orderId}/tasks/BILLING_HANDOFF/repair`;
    const force = { action: 'MARK_COMPLETE', reasonCode: 'FORCE' };

    for (const token of ['local-partner-a', 'local-sales', 'local-approver']) {
      expect((await api.post(path, force, { token })).status).toBe(403);
    }
    const noEvidence = await api.post(path, force, ops);
    expect(noEvidence.status).toBe(422);
    expect(noEvidence.body.code).toBe('EVIDENCE_REQUIRED');

    expect((await getOrder(orderId)).body.state).toBe('held');
    expect(await subscriptions(orderId)).toHaveLength(0);
  });
});
