import { afterEach, describe, expect, it } from 'vitest';
import { taskCorrelationId } from '#domain/order/correlation';
import { client } from '../support/api-client.ts';
import {
  acceptedFiberQuote,
  activations,
  createOrder,
  expectEachOnce,
  getOrder,
  heldFallout,
  orderInState,
  repairPath,
  resetFaults,
  setFault,
  settled,
  subscriptions,
  taskHistory,
} from '../support/order-flow.ts';

const api = client();
const ops = { token: 'local-ops' };

/**
 * The shared stack answers dispatches within 800 ms and its simulators promise an in-flight
 * window of 5 s (the local default). Faults are global: tests run one after another.
 */
describe.sequential('unknown outcome against a downstream that commits late', () => {
  afterEach(resetFaults);

  it('timeout, then NOT_FOUND while the downstream has not committed yet: waits, finds it done, never re-sends', async () => {
    const quote = await acceptedFiberQuote();
    // Commits 2 s after receipt: the dispatch gives up at 800 ms, the first query finds nothing.
    await setFault('provisioning', 'commit-late', 1, 2000);
    const { body } = await createOrder(quote);
    await orderInState(body.id, 'completed');
    await settled(body.id);
    const acts = await activations(body.id);
    expect(acts.map((a) => a.action).sort()).toEqual(['ACCESS_PROVISION', 'SERVICE_ACTIVATION']);
    expectEachOnce(acts);
    // The commit came late (the fault was applied): the activation was committed after it was received.
    const late = acts.find((a) => a.action === 'ACCESS_PROVISION')!;
    expect(Date.parse(late.committedAt)).toBeGreaterThan(Date.parse(late.receivedAt));
    const history = await taskHistory(body.id);
    const access = history.filter((t) => t.taskId.endsWith('ACCESS_PROVISION'));
    expect(access.map((t) => t.state)).toContain('UNKNOWN');
    expect(Math.max(...access.map((t) => t.attempts))).toBe(1);
    expect(await subscriptions(body.id)).toHaveLength(1);
  });

  it('sends the task correlation id as Idempotency-Key on every downstream request', async () => {
    const quote = await acceptedFiberQuote();
    const { body } = await createOrder(quote);
    await orderInState(body.id, 'completed');
    const effects = [...(await activations(body.id)), ...(await subscriptions(body.id))];
    expect(effects).toHaveLength(3);
    for (const e of effects) {
      expect(e.idempotencyKey).toBe(e.correlationId);
      expect(e.correlationId).toBe(taskCorrelationId(body.id, e.taskId));
    }
  });

  it('refuses a commit lag the simulator could not honour within its window', async () => {
    const r = await api.put(
      '/sim/provisioning/faults',
      { mode: 'commit-late', count: 1, delayMs: 6000 },
      ops,
    );
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('FAULT_OUTSIDE_WINDOW');
  });
});

describe.sequential('MARK_COMPLETE needs the downstream to confirm the reference', () => {
  afterEach(resetFaults);

  it('an invented downstreamRef is 422 EVIDENCE_REQUIRED and changes nothing; a confirmed one completes', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('billing', 'reject', 1);
    const { body } = await createOrder(quote);
    const orderId = body.id as string;
    await orderInState(orderId, 'held');
    expect(await heldFallout(orderId)).toMatchObject({
      reasonCode: 'BILLING_REJECTED',
      taskId: 'BILLING_HANDOFF',
    });
    await settled(orderId);
    const before = (await getOrder(orderId)).body;

    const invented = await api.post(
      repairPath(orderId, 'BILLING_HANDOFF'),
      {
        action: 'MARK_COMPLETE',
        reasonCode: 'BILLED_BY_HAND',
        evidence: { downstreamRef: 'bill-invented-1' },
      },
      ops,
    );
    expect(invented.status).toBe(422);
    expect(invented.body.code).toBe('EVIDENCE_REQUIRED');
    expect((await getOrder(orderId)).body).toEqual(before);
    expect(await subscriptions(orderId)).toHaveLength(0);

    // Billing operations do the handoff by hand, under the task's correlation id (simulators: internal port).
    const correlationId = taskCorrelationId(orderId, 'BILLING_HANDOFF');
    const internal = (await api.get('/health', { token: 'local-ops' })).body.components.internalServices
      .endpoint as string;
    const manual = await client(internal).post('/downstream/billing/requests', {
      correlationId,
      orderId,
      taskId: 'BILLING_HANDOFF',
      action: 'BILLING_HANDOFF',
      payload: {},
    });
    expect(manual.status).toBe(201);

    // A real reference of another task is no evidence for this one.
    const [someActivation] = await activations(orderId);
    const wrongTask = await api.post(
      repairPath(orderId, 'BILLING_HANDOFF'),
      {
        action: 'MARK_COMPLETE',
        reasonCode: 'BILLED_BY_HAND',
        evidence: { downstreamRef: someActivation!.ref },
      },
      ops,
    );
    expect(wrongTask.status).toBe(422);
    expect(wrongTask.body.code).toBe('EVIDENCE_REQUIRED');

    const confirmed = await api.post(
      repairPath(orderId, 'BILLING_HANDOFF'),
      {
        action: 'MARK_COMPLETE',
        reasonCode: 'BILLED_BY_HAND',
        evidence: { downstreamRef: manual.body.downstreamRef },
      },
      ops,
    );
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.repair).toMatchObject({ action: 'MARK_COMPLETE', taskId: 'BILLING_HANDOFF' });
    await orderInState(orderId, 'completed');
    expect(await subscriptions(orderId)).toHaveLength(1);
  });
});
