import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type CallOptions, client, eventually, ordersPath, quotesPath, type Reply } from '#test/api-client';
import { clearFaults, injectFault } from '#test/faults';
import { orderBody, orderInState, repairPath, resetFaults, setFault, settled } from '#test/order-flow';
import { fiberLine, quoteBody, tmfQuoteBody } from '#test/quote-flow';

const api = client();
const sales = { token: 'local-sales' };
const partner = { token: 'local-partner-a' };
const approver = { token: 'local-approver' };
const ops = { token: 'local-ops' };

type Tally = { requests: number; byCommand: Record<string, number> };

/** What one request sent to DynamoDB, as the local stack counted it on the handlers' client. */
const requestsOf = async (correlationId: string): Promise<Tally> => {
  const r = await api.get(`/ops/local/dynamo-requests/${correlationId}`, ops);
  expect(r.status, `no DynamoDB request recorded for ${correlationId}`).toBe(200);
  return r.body as Tally;
};

type Send = (opts: CallOptions) => Promise<Reply>;

/**
 * Sends a command with its own correlation id and, for idempotent POSTs, sends it again with the
 * same Idempotency-Key: the first call may make at most 4 DynamoDB requests, the replay exactly 1
 * (the idempotency record's refused reservation, which returns the stored answer).
 */
const measure = async (name: string, send: Send, opts: CallOptions, status: number, replay = true) => {
  const key = randomUUID();
  const first = `first-${randomUUID()}`;
  const reply = await send({ ...opts, key, headers: { ...opts.headers, 'X-Correlation-Id': first } });
  expect(reply.status, `${name}: ${JSON.stringify(reply.body)}`).toBe(status);
  const firstCall = await requestsOf(first);
  expect(
    firstCall.requests,
    `${name} first call: ${JSON.stringify(firstCall.byCommand)}`,
  ).toBeLessThanOrEqual(4);
  if (replay) {
    const again = `replay-${randomUUID()}`;
    const replayed = await send({ ...opts, key, headers: { 'X-Correlation-Id': again } });
    expect(replayed.headers.get('idempotent-replayed'), name).toBe('true');
    expect(replayed.body).toEqual(reply.body);
    const replayCall = await requestsOf(again);
    expect(replayCall.requests, `${name} replay: ${JSON.stringify(replayCall.byCommand)}`).toBe(1);
  }
  return { reply, firstCall };
};

const post =
  (path: string, body: unknown): Send =>
  (opts) =>
    api.post(path, body, opts);
const patch =
  (path: string, body: unknown): Send =>
  (opts) =>
    api.patch(path, body, opts);

describe.sequential('DynamoDB requests per command: at most 4 on the first call, 1 on a replay', () => {
  afterEach(async () => {
    await clearFaults();
    await resetFaults();
  });

  it('quote commands read the quote and the catalog pointer in one request', async () => {
    const created = await measure('POST /quotes', post('/quotes', quoteBody([fiberLine(5)])), sales, 201);
    const id = created.reply.body.id as string;
    await measure(
      'PATCH /quotes/{id}',
      patch(`/quotes/${id}`, { lines: [{ ...fiberLine(5), quantity: 2 }] }),
      { ...sales, headers: { 'If-Match': `"${created.reply.body.version}"` } },
      200,
      false,
    );
    const priced = await measure('price', post(`/quotes/${id}/price`, {}), sales, 200);
    // Reservation, one batch read (quote + catalog pointer), the transaction, the completion.
    expect(priced.firstCall.byCommand).toEqual({
      PutItemCommand: 1,
      BatchGetItemCommand: 1,
      TransactWriteItemsCommand: 1,
      UpdateItemCommand: 1,
    });
    for (const path of [`/quotes/${id}`, `${quotesPath}/quote/${id}`]) {
      const correlationId = `get-${randomUUID()}`;
      const got = await api.get(path, { ...sales, headers: { 'X-Correlation-Id': correlationId } });
      expect(got.status).toBe(200);
      expect((await requestsOf(correlationId)).byCommand, path).toEqual({ BatchGetItemCommand: 1 });
    }
    await measure('submit', post(`/quotes/${id}/submit`, {}), sales, 200);
    const accepted = await measure('accept', post(`/quotes/${id}/accept`, {}), sales, 200);

    const discounted = (await api.post('/quotes', quoteBody([fiberLine(25)]), sales)).body.id as string;
    expect((await api.post(`/quotes/${discounted}/price`, {}, sales)).status).toBe(200);
    expect((await api.post(`/quotes/${discounted}/submit`, {}, sales)).body.state).toBe('pending');
    await measure(
      'approvals',
      post(`/quotes/${discounted}/approvals`, { decision: 'APPROVE', comment: 'ok' }),
      approver,
      200,
    );

    // Provisioning answers slowly: the order stays before the point of no return (patch, cancel).
    await setFault('provisioning', 'slow', 1, 10_000);
    const order = await measure(
      'POST productOrder',
      post(`${ordersPath}/productOrder`, orderBody(accepted.reply.body)),
      sales,
      201,
    );
    expect(order.firstCall.byCommand.BatchGetItemCommand).toBe(1);
    const orderId = order.reply.body.id as string;
    // Counted once the workflow is parked in the slow dispatch: the command's own cost, not
    // version-conflict retries against the workflow's first writes.
    await eventually(async () => {
      const tracking = await api.get(`/views/order-tracking/${orderId}`, ops);
      const tasks = (tracking.body?.tasks ?? []) as { state: string }[];
      return tasks.some((t) => t.state === 'IN_PROGRESS') ? true : undefined;
    });
    await measure(
      'PATCH productOrder',
      patch(`${ordersPath}/productOrder/${orderId}`, { description: 'counted' }),
      sales,
      200,
      false,
    );
    await measure(
      'cancelProductOrder',
      post(`${ordersPath}/cancelProductOrder`, {
        productOrder: { id: orderId },
        cancellationReason: 'counted',
      }),
      sales,
      201,
    );
  });

  it('TMF648 quote create and patch', async () => {
    const created = await measure(
      'POST TMF648 quote',
      post(`${quotesPath}/quote`, tmfQuoteBody()),
      partner,
      201,
    );
    await measure(
      'PATCH TMF648 quote',
      patch(`${quotesPath}/quote/${created.reply.body.id}`, { state: 'pending' }),
      partner,
      200,
      false,
    );
  });

  it('repair of a held order', async () => {
    const quote = (await api.post('/quotes', quoteBody([fiberLine()]), sales)).body;
    for (const step of ['price', 'submit', 'accept'])
      expect((await api.post(`/quotes/${quote.id}/${step}`, {}, sales)).status).toBe(200);
    const accepted = (await api.get(`/quotes/${quote.id}`, sales)).body;
    await setFault('billing', 'reject', 1);
    const orderId = (await api.post(`${ordersPath}/productOrder`, orderBody(accepted), sales)).body
      .id as string;
    await orderInState(orderId, 'held');
    await settled(orderId);
    await measure(
      'repair',
      post(repairPath(orderId, 'BILLING_HANDOFF'), {
        action: 'RETRY',
        reasonCode: 'BILLING_PAYLOAD_CORRECTED',
      }),
      ops,
      201,
    );
    await orderInState(orderId, 'completed');
  });

  it('with the catalog unreadable the batch still serves the quote: drafts go on, the price book is refused', async () => {
    const id = (await api.post('/quotes', quoteBody([fiberLine(5)]), sales)).body.id as string;
    await injectFault('catalog', { error: 'ProvisionedThroughputExceededException' });
    const price = await api.post(`/quotes/${id}/price`, {}, sales);
    expect(price.status).toBe(503);
    expect(price.body.code).toBe('PRICING_UNAVAILABLE');
    const read = await api.get(`/quotes/${id}`, sales);
    const edited = await api.patch(
      `/quotes/${id}`,
      { lines: [{ ...fiberLine(5), quantity: 3 }] },
      { ...sales, headers: { 'If-Match': `"${read.body.version}"` } },
    );
    expect(edited.status).toBe(200);
    expect(edited.body.lines[0].quantity).toBe(3);
    expect(edited.body.degraded.components).toEqual(['catalog']);
    await clearFaults();
    expect((await api.post(`/quotes/${id}/price`, {}, sales)).status).toBe(200);
  });
});
