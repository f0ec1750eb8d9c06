import { afterEach, describe, expect, it } from 'vitest';
import {
  acceptedFiberQuote,
  activations,
  createOrder,
  expectEachOnce,
  expectTmf,
  getOrder,
  heldFallout,
  orderInState,
  resetFaults,
  setFault,
  settled,
  subscriptions,
  taskHistory,
} from '../support/order-flow.ts';

/**
 * Simulator faults are global to the shared stack: each test sets its fault (count-limited)
 * right before creating its order, the tests run one after another, and faults are reset after each.
 */
describe.sequential('fulfillment under downstream faults', () => {
  afterEach(resetFaults);

  const fulfilledOnce = async (orderId: string) => {
    const completed = await orderInState(orderId, 'completed');
    expectTmf('ProductOrder', completed);
    await settled(orderId);
    const acts = await activations(orderId);
    expect(acts.map((a) => a.action).sort()).toEqual(['ACCESS_PROVISION', 'SERVICE_ACTIVATION']);
    expectEachOnce(acts);
    expect(await subscriptions(orderId)).toHaveLength(1);
    return acts;
  };

  it('timeout-after-accept: the unknown outcome is queried, found done, and never sent again', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('provisioning', 'timeout-after-accept', 1);
    const { body } = await createOrder(quote);
    await fulfilledOnce(body.id);
    const history = await taskHistory(body.id);
    expect(history.some((t) => t.taskId.endsWith('ACCESS_PROVISION') && t.state === 'UNKNOWN')).toBe(true);
    expect(Math.max(...history.map((t) => t.attempts))).toBe(1);
  });

  it('lose-response: the lost answer is recovered by a query by correlation id, no duplicate', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('billing', 'lose-response', 1);
    const { body } = await createOrder(quote);
    await fulfilledOnce(body.id);
    const history = await taskHistory(body.id);
    expect(history.some((t) => t.taskId === 'BILLING_HANDOFF' && t.state === 'UNKNOWN')).toBe(true);
  });

  it('error-5xx: nothing was done, so the dispatch is retried and succeeds once', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('provisioning', 'error-5xx', 1);
    const { body } = await createOrder(quote);
    await fulfilledOnce(body.id);
    const history = await taskHistory(body.id);
    expect(history.some((t) => t.lastErrorCode === 'DownstreamUnavailable' && t.state === 'PENDING')).toBe(
      true,
    );
  });

  it('slow within the timeout: completes normally', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('provisioning', 'slow', 1);
    const { body } = await createOrder(quote);
    await fulfilledOnce(body.id);
  });

  it('slow beyond the timeout: PENDING is waited for and queried again until done', async () => {
    const quote = await acceptedFiberQuote();
    // count 2 keeps delayMs for the first call (the simulator forgets delayMs with the last count).
    await setFault('provisioning', 'slow', 2, 1200);
    const { body } = await createOrder(quote);
    await fulfilledOnce(body.id);
    const history = await taskHistory(body.id);
    expect(history.some((t) => t.taskId.endsWith('ACCESS_PROVISION') && t.state === 'UNKNOWN')).toBe(true);
  });

  it('reject by billing: controlled fallout, held with reason and owner, nothing billed', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('billing', 'reject', 1);
    const { body } = await createOrder(quote);
    const held = await orderInState(body.id, 'held');
    expectTmf('ProductOrder', held);
    const fallout = await heldFallout(body.id);
    expect(fallout).toMatchObject({ reasonCode: 'BILLING_REJECTED', ownerTeam: 'billing-ops' });
    expect(fallout.nextAction).toBeTruthy();
    await settled(body.id);
    expectEachOnce(await activations(body.id));
    expect(await activations(body.id)).toHaveLength(2);
    expect(await subscriptions(body.id)).toHaveLength(0);
    expect((await getOrder(body.id)).body.state).toBe('held');
  });

  it('reject by provisioning: held at the first task, nothing else sent', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('provisioning', 'reject', 1);
    const { body } = await createOrder(quote);
    await orderInState(body.id, 'held');
    const fallout = await heldFallout(body.id);
    expect(fallout).toMatchObject({ reasonCode: 'DOWNSTREAM_REJECTED', ownerTeam: 'network-ops' });
    await settled(body.id);
    expect(await activations(body.id)).toHaveLength(0);
    expect(await subscriptions(body.id)).toHaveLength(0);
  });
});
