import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { type StackProcess, startStackProcess } from '../support/local-stack-process.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';
import { validateTmf622 } from '../support/tmf622-schema.ts';

// A release with a 3-second fiber lead time makes jeopardy observable; a publish needs its own stack.
let stack: StackProcess;
let api: ReturnType<typeof client>;
const sales = { token: 'local-sales' };
const ops = { token: 'local-ops' };

beforeAll(async () => {
  stack = await startStackProcess();
  api = client(stack.url);
  const catalog = (await api.get('/catalog', ops)).body;
  const release = {
    ...catalog,
    catalogVersion: 'cat-jeopardy',
    priceBookVersion: 'pb-jeopardy',
    effectiveFrom: new Date().toISOString(),
    offerings: catalog.offerings.map((o: Record<string, unknown>) =>
      o.id === 'off-fiber-1g' ? { ...o, fulfillmentLeadTimeSeconds: 3 } : o,
    ),
  };
  expect((await api.post('/ops/catalog-releases', release, ops)).status).toBe(201);
});
afterAll(async () => {
  await stack?.stop();
});

const orderFor = async () => {
  const id = (await api.post('/quotes', quoteBody([fiberLine(5)]), sales)).body.id as string;
  for (const step of ['price', 'submit', 'accept']) {
    expect((await api.post(`/quotes/${id}/${step}`, {}, sales)).status).toBe(200);
  }
  const quote = (await api.get(`/quotes/${id}`, sales)).body;
  const created = await api.post(
    `${ordersPath}/productOrder`,
    {
      quote: [{ id }],
      billingAccount: { id: 'ba-1' },
      productOrderItem: quote.lines.map((l: { id: string }, i: number) => ({
        id: String(i + 1),
        action: 'add',
        quoteItem: { id: l.id },
      })),
    },
    sales,
  );
  expect(created.status).toBe(201);
  return created.body;
};

const sweep = () => api.post('/ops/local/schedules/jeopardy/runs', {}, ops);
const order = async (id: string) => (await api.get(`${ordersPath}/productOrder/${id}`, sales)).body;

describe('jeopardy sweep', () => {
  it('an open order past its expected completion gets one breached jeopardyAlert with owner and next action; a completed one none', async () => {
    await api.put('/sim/billing/faults', { mode: 'reject', count: 1 }, ops);
    const held = await orderFor();
    // The expected completion comes from the offering's lead time in the catalog.
    expect(Date.parse(held.productOrderItem[0].expectedCompletionDate) - Date.parse(held.orderDate)).toBe(
      3000,
    );
    expect(held.expectedCompletionDate).toBe(held.productOrderItem[0].expectedCompletionDate);
    await eventually(async () => ((await order(held.id)).state === 'held' ? true : undefined));

    const done = await orderFor();
    await eventually(async () => ((await order(done.id)).state === 'completed' ? true : undefined));

    const alerted = await eventually(
      async () => {
        expect((await sweep()).status).toBe(200);
        const o = await order(held.id);
        return o.jeopardyAlert?.some((a: { jeopardyType: string }) => a.jeopardyType === 'breached')
          ? o
          : undefined;
      },
      60,
      500,
    );
    const breached = alerted.jeopardyAlert.find(
      (a: { jeopardyType: string }) => a.jeopardyType === 'breached',
    );
    expect(breached).toMatchObject({
      '@type': 'JeopardyAlert',
      productOrderItem: [{ productOrderItemId: '1' }],
      owner: 'billing-ops',
      nextAction: expect.any(String),
    });

    expect(validateTmf622('ProductOrder', alerted).errors).toEqual([]);

    // Idempotent: another sweep raises nothing new; the completed order never had an alert.
    expect((await sweep()).status).toBe(200);
    expect((await order(held.id)).jeopardyAlert).toHaveLength(alerted.jeopardyAlert.length);
    expect((await order(done.id)).jeopardyAlert).toBeUndefined();
    const events = (await api.get(`/ops/events?orderId=${held.id}&detailType=ProductOrderJeopardyEvent`, ops))
      .body;
    await eventually(async () => {
      const e = (await api.get(`/ops/events?orderId=${held.id}&detailType=ProductOrderJeopardyEvent`, ops))
        .body;
      return e.count === alerted.jeopardyAlert.length ? e : undefined;
    });
    expect(events.count).toBeLessThanOrEqual(alerted.jeopardyAlert.length);
  });
});
