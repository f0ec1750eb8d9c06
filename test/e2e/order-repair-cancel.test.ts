import { afterEach, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import {
  acceptedFiberQuote,
  activations,
  createOrder,
  events,
  expectEachOnce,
  expectTmf,
  getOrder,
  heldFallout,
  orderBody,
  orderInState,
  repairPath,
  resetFaults,
  setFault,
  settled,
  subscriptions,
} from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const ops = { token: 'local-ops' };

describe.sequential('repair and cancellation of orders', () => {
  afterEach(resetFaults);

  it('billing rejection → held → MARK_COMPLETE without evidence refused → RETRY → completed, audited', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('billing', 'reject', 1);
    const { body } = await createOrder(quote);
    const orderId = body.id as string;
    await orderInState(orderId, 'held');
    const fallout = await heldFallout(orderId);
    expect(fallout).toMatchObject({
      reasonCode: 'BILLING_REJECTED',
      ownerTeam: 'billing-ops',
      taskId: 'BILLING_HANDOFF',
    });
    expect(typeof fallout.nextAction).toBe('string');
    await settled(orderId);

    // Billing was attempted: past the point of no return.
    const cancel = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: orderId }, cancellationReason: 'customer changed mind' },
      { token: 'local-sales' },
    );
    expect(cancel.status).toBe(422);
    expect(cancel.body.code).toBe('POINT_OF_NO_RETURN');
    expectTmf('Error', cancel.body);

    const forbidden = await api.post(
      repairPath(orderId, 'BILLING_HANDOFF'),
      { action: 'RETRY', reasonCode: 'X' },
      {
        token: 'local-sales',
      },
    );
    expect(forbidden.status).toBe(403);

    const noEvidence = await api.post(
      repairPath(orderId, 'BILLING_HANDOFF'),
      { action: 'MARK_COMPLETE', reasonCode: 'BILLING_FIXED_MANUALLY' },
      ops,
    );
    expect(noEvidence.status).toBe(422);
    expect(noEvidence.body.code).toBe('EVIDENCE_REQUIRED');
    expect((await getOrder(orderId)).body.state).toBe('held');

    const retry = await api.post(
      repairPath(orderId, 'BILLING_HANDOFF'),
      { action: 'RETRY', reasonCode: 'BILLING_PAYLOAD_CORRECTED' },
      ops,
    );
    expect(retry.status).toBe(201);
    expect(retry.body.repair).toMatchObject({
      action: 'RETRY',
      taskId: 'BILLING_HANDOFF',
      reasonCode: 'BILLING_PAYLOAD_CORRECTED',
      before: { orderState: 'held', taskState: 'FAILED' },
      after: { orderState: 'inProgress', taskState: 'PENDING' },
    });
    expectTmf('ProductOrder', retry.body.productOrder);

    const completed = await orderInState(orderId, 'completed');
    expectTmf('ProductOrder', completed);
    await settled(orderId);
    expect(await subscriptions(orderId)).toHaveLength(1);
    expectEachOnce(await activations(orderId));
    const audit = await eventually(async () => {
      const list = await events(orderId);
      const types = list.map((e) => e['detail-type']);
      return types.includes('FulfillmentTaskRepairEvent') && types.includes('ProductOrderRepairEvent')
        ? types
        : undefined;
    });
    expect(audit).toContain('ProductOrderRepairEvent');
  });

  it('cancellation before the point of no return compensates what was done and ends cancelled', async () => {
    const quote = await acceptedFiberQuote();
    // The first activation is slow (beyond the dispatch timeout), so billing cannot have started.
    await setFault('provisioning', 'slow', 2, 1200);
    const { body } = await createOrder(quote);
    const orderId = body.id as string;
    await eventually(async () => ((await activations(orderId)).length > 0 ? true : undefined), 200, 25);

    const cancel = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: orderId }, cancellationReason: 'customer withdrew' },
      { token: 'local-sales' },
    );
    expect(cancel.status).toBe(201);
    expectTmf('CancelProductOrder', cancel.body);
    expect(cancel.body.productOrder.id).toBe(orderId);
    expect(cancel.body.state).toBe('inProgress');

    const cancelled = await orderInState(orderId, 'cancelled');
    expectTmf('ProductOrder', cancelled);
    expect(cancelled.cancellationReason).toBe('customer withdrew');
    await settled(orderId);
    const acts = await activations(orderId);
    expectEachOnce(acts);
    expect(acts.map((a) => a.action).sort()).toEqual(['ACCESS_DECOMMISSION', 'ACCESS_PROVISION']);
    expect(await subscriptions(orderId)).toHaveLength(0);
  });

  it('refuses conversions that break the rules', async () => {
    // Not accepted
    const created = await api.post('/quotes', quoteBody(), { token: 'local-sales' });
    const notAccepted = await api.post(`${ordersPath}/productOrder`, orderBody(created.body), {
      token: 'local-sales',
    });
    expect(notAccepted.status).toBe(422);
    expect(notAccepted.body.code).toBe('QUOTE_NOT_ACCEPTED');
    expectTmf('Error', notAccepted.body);

    const quote = await acceptedQuote('local-partner-a', [fiberLine()]);
    const noBilling = await api.post(
      `${ordersPath}/productOrder`,
      orderBody(quote, { billingAccount: undefined }),
      { token: 'local-partner-a' },
    );
    expect(noBilling.status).toBe(422);
    expect(noBilling.body.code).toBe('BILLING_ACCOUNT_MISSING');

    const mismatch = await api.post(
      `${ordersPath}/productOrder`,
      orderBody(quote, { productOrderItem: [{ id: '1', action: 'add', quoteItem: { id: 'no-such-line' } }] }),
      { token: 'local-partner-a' },
    );
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('ORDER_QUOTE_MISMATCH');

    const otherChannel = await api.post(`${ordersPath}/productOrder`, orderBody(quote), {
      token: 'local-partner-b',
    });
    expect(otherChannel.status).toBe(404);
    expectTmf('Error', otherChannel.body);

    const malformed = await api.post(
      `${ordersPath}/productOrder`,
      { quote: [] },
      { token: 'local-partner-a' },
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.fields.length).toBeGreaterThan(0);

    const approver = await api.post(`${ordersPath}/productOrder`, orderBody(quote), {
      token: 'local-approver',
    });
    expect(approver.status).toBe(403);

    // None of the refusals converted the quote: it still converts once.
    const ok = await api.post(`${ordersPath}/productOrder`, orderBody(quote), { token: 'local-partner-a' });
    expect(ok.status).toBe(201);
    const missingOrder = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: 'po-missing' }, cancellationReason: 'x' },
      { token: 'local-partner-a' },
    );
    expect(missingOrder.status).toBe(404);
    const otherCancel = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: ok.body.id }, cancellationReason: 'x' },
      { token: 'local-partner-b' },
    );
    expect(otherCancel.status).toBe(404);
    await orderInState(ok.body.id, 'completed', 'local-partner-a');
    await settled(ok.body.id);
  });
});
