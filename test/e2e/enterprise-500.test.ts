import { afterEach, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { orderBody, resetFaults, subscriptions } from '../support/order-flow.ts';
import { type LineBody, quoteBody } from '../support/request-bodies.ts';

const api = client();
const sales = { token: 'local-sales' };
const ops = { token: 'local-ops' };
const size = 500;
const inventory = '/tmf-api/productInventory/v4';

/** Per site every offering of the demo catalog: a fiber access, SD-WAN, security on them, an IP block. */
const siteLines = (count: number): LineBody[] =>
  Array.from({ length: count }, (_, i): LineBody => {
    const customerReference = `s${Math.floor(i / 4)}`;
    const offerings: Pick<LineBody, 'offeringId' | 'options'>[] = [
      { offeringId: 'off-fiber-1g', options: { term: 24 } },
      { offeringId: 'off-sdwan', options: { sites: 2 } },
      { offeringId: 'off-security', options: {} },
      { offeringId: 'off-static-ip', options: { size: 8 } },
    ];
    return { ...offerings[i % 4]!, quantity: 1, customerReference };
  });

const quoteBodyAccount = (quote: Record<string, any>): string => quote.customer.accountId;

const ok = async (path: string) => {
  const r = await api.post(path, {}, sales);
  expect(r.status, `${path} ${JSON.stringify(r.body).slice(0, 500)}`).toBe(200);
  return r.body as Record<string, any>;
};

/** Every installed product of an account, a page of 100 at a time by cursor. */
const installedProducts = async (accountId: string): Promise<Record<string, any>[]> => {
  const all: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const r: { status: number; body: Record<string, any>[]; headers: Headers } = await api.get<
      Record<string, any>[]
    >(
      `${inventory}/product?relatedParty.id=${accountId}&fields=status&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      sales,
    );
    expect(r.status).toBe(200);
    all.push(...r.body);
    cursor = r.headers.get('x-next-cursor');
  } while (cursor);
  return all;
};

/**
 * Issue 20: an enterprise deal of 500 lines goes from quote to a completed order on the local
 * stack. The quote is stored as a header and pages (≈ 560 KB whole, over one DynamoDB item), its
 * large answers are kept gzipped in the idempotency record, the order is planned with its billing
 * handoff in five parts of 100 items, and its 630 tasks are dispatched in rounds.
 */
describe('enterprise deals of 500 lines', () => {
  afterEach(resetFaults);

  it('a 500-line quote of mixed offerings is priced, accepted, ordered and fulfilled: every item completed, billing acknowledged in five parts, 500 products installed', async () => {
    const created = await api.post('/quotes', quoteBody(siteLines(size)), sales);
    expect(created.status, JSON.stringify(created.body).slice(0, 500)).toBe(201);
    const quoteId = created.body.id as string;
    await ok(`/quotes/${quoteId}/price`);
    await ok(`/quotes/${quoteId}/submit`);
    const key = `accept-${quoteId}`;
    const accepted = await api.post(`/quotes/${quoteId}/accept`, {}, { ...sales, key });
    expect(accepted.status, JSON.stringify(accepted.body).slice(0, 500)).toBe(200);
    expect(accepted.body.state).toBe('accepted');
    // The answer (≈ 600 KB) is replayed whole for the same key.
    const replayed = await api.post(`/quotes/${quoteId}/accept`, {}, { ...sales, key });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(accepted.body);
    const read = await api.get(`/quotes/${quoteId}`, sales);
    expect(read.body.lines).toHaveLength(size);
    expect(read.body.priceSnapshot.lines).toHaveLength(size);
    expect(new Set(read.body.lines.map((l: any) => l.offeringId)).size).toBe(4);

    const order = await api.post(`${ordersPath}/productOrder`, orderBody(accepted.body), sales);
    expect(order.status, JSON.stringify(order.body).slice(0, 500)).toBe(201);
    const orderId = order.body.id as string;
    expect(order.body.productOrderItem).toHaveLength(size);

    // Polled every 5 s: each read is the whole order.
    const completed = await eventually(
      async () => {
        const r = await api.get(`${ordersPath}/productOrder/${orderId}`, sales);
        expect(['acknowledged', 'inProgress', 'completed']).toContain(r.body.state);
        return r.body.state === 'completed' ? r.body : undefined;
      },
      120,
      5000,
    );
    expect(completed.productOrderItem.filter((i: any) => i.state === 'completed')).toHaveLength(size);
    // The plan, as the audit reads it from the order: 625 provisioning tasks (a fiber is access
    // and service) and billing in five parts; every item handed to billing once, at its accepted price.
    const audit = await eventually(
      async () => {
        const r = await api.get(`/audit/orders/${orderId}`, ops);
        return r.status === 200 ? r.body : undefined;
      },
      10,
      2000,
    );
    const tasks = audit.fulfillment as { taskId: string; type: string }[];
    expect(tasks).toHaveLength((size / 4) * 5 + 5);
    expect(tasks.filter((t) => t.type === 'BILLING_HANDOFF').map((t) => t.taskId)).toEqual([
      'BILLING_HANDOFF',
      'BILLING_HANDOFF-2',
      'BILLING_HANDOFF-3',
      'BILLING_HANDOFF-4',
      'BILLING_HANDOFF-5',
    ]);
    expect(audit.orderFaithfulToQuote.faithful).toBe(true);
    const billing = audit.billingFaithfulToOrder.checks as { check: string; ok: boolean; detail?: any }[];
    expect(billing.find((c) => c.check === 'ITEMS_BILLED_AS_ORDERED')?.ok).toBe(true);
    const acknowledged = billing.find((c) => c.check === 'BILLING_ACKNOWLEDGED');
    expect(acknowledged?.ok).toBe(true);
    expect(acknowledged?.detail.parts).toBe(5);
    expect((await subscriptions(orderId)).length).toBeGreaterThan(0);
    const products = await installedProducts(quoteBodyAccount(created.body));
    expect(products).toHaveLength(size);
    expect(products.every((p) => p.status === 'active')).toBe(true);
    // The tracking view catches up with all 500 items, and the order's event tail (views, hub,
    // evidence, facts) is done before the next file shares the stack.
    await eventually(
      async () => {
        const view = await api.get(`/views/order-tracking/${orderId}`, sales);
        const busy = (await api.get('/ops/local/in-flight', ops)).body as Record<string, number>;
        return view.status === 200 && view.body.state === 'completed' && Object.keys(busy).length === 0
          ? view.body
          : undefined;
      },
      120,
      1000,
    );
    const denials = await api.get('/ops/local/iam-denials', ops);
    expect(denials.body.count).toBe(0);
  }, 600_000);
});
