import { afterAll, describe, expect, it } from 'vitest';
import { startSubscriber } from '#test/hub-subscriber';
import { client, eventually, ordersPath, quotesPath } from '../support/api-client.ts';
import {
  activations,
  createOrder,
  events,
  expectEachOnce,
  orderInState,
  resetFaults,
  setFault,
  subscriptions,
} from '../support/order-flow.ts';
import { acceptedQuote, fiberLine } from '../support/quote-flow.ts';

const api = client();
const inventory = '/tmf-api/productInventory/v4';
const partner = 'local-partner-a';
const account = `acct-ib-${Math.random().toString(36).slice(2, 10)}`;
type Action = 'modify' | 'suspend' | 'resume' | 'delete';

const product = async (id: string, token = partner) => api.get(`${inventory}/product/${id}`, { token });

/** The change quote of one installed product, accepted, and its order created. */
const changeOrder = async (action: Action, productId: string, options?: Record<string, number>) => {
  const quote = await acceptedQuote(
    partner,
    [{ action, productId, ...(options ? { options } : {}) } as never],
    account,
  );
  expect(quote.lines[0]).toMatchObject({ action, productId });
  const order = await api.post(
    `${ordersPath}/productOrder`,
    {
      quote: [{ id: quote.id }],
      billingAccount: { id: 'ba-ib' },
      productOrderItem: [{ id: '1', action, quoteItem: { id: '1' }, product: { id: productId } }],
    },
    { token: partner },
  );
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  expect(order.body.productOrderItem[0]).toMatchObject({ action, product: { id: productId } });
  return order.body.id as string;
};

/** Completes the order, then returns what billing received, the product events and the product. */
const completed = async (orderId: string, productId: string) => {
  await orderInState(orderId, 'completed', partner);
  const [sub] = await subscriptions(orderId);
  const productEvents = await eventually(async () => {
    const all = (await events(orderId)).filter(
      (e) => String(e['detail-type']).startsWith('Product') && e.detail.resource?.orderItemId,
    );
    return all.length > 0 ? all : undefined;
  });
  return {
    commitment: sub!.payload.items[0].commitment,
    productEvents,
    product: (await product(productId)).body,
  };
};

/** A quote line that must be refused before anything is written. */
const refused = async (line: Record<string, unknown>, token = partner) =>
  api.post(
    '/quotes',
    { customer: { accountId: account, name: 'Acme' }, currency: 'USD', lines: [line] },
    { token },
  );

afterAll(resetFaults);

/** The orders and products of the first test, which the reconciliation test checks. */
const history = { orderIds: [] as string[], productIds: [] as string[] };

describe('installed base: add → modify → suspend → resume → delete', () => {
  it('keeps the inventory, the billing commitment and the product events in step with each change order', async () => {
    // a channel listens to its installed base on the TMF637 hub
    const listener = await startSubscriber();
    const hub = await api.post(`${inventory}/hub`, { callback: listener.callback }, { token: partner });
    expect(hub.status, JSON.stringify(hub.body)).toBe(201);

    // add: fiber (24-month term) and SD-WAN on 2 sites
    const quote = await acceptedQuote(
      partner,
      [fiberLine(), { offeringId: 'off-sdwan', quantity: 1, options: { sites: 2 } }],
      account,
    );
    const added = (await createOrder(quote, partner)).body.id as string;
    await orderInState(added, 'completed', partner);
    const list = await api.get<Record<string, any>[]>(
      `${inventory}/product?relatedParty.id=${account}&status=active`,
      { token: partner },
    );
    expect(list.status).toBe(200);
    expect(list.body.map((p) => p.productOffering.id).sort()).toEqual(['off-fiber-1g', 'off-sdwan']);
    const fiber = list.body.find((p) => p.productOffering.id === 'off-fiber-1g')!;
    const sdwan = list.body.find((p) => p.productOffering.id === 'off-sdwan')!;
    expect(fiber).toMatchObject({
      status: 'active',
      contractTermMonths: 24,
      billingAccount: { id: expect.any(String) },
    });
    expect(fiber.lineage).toMatchObject({
      quoteId: quote.id,
      quoteRevision: quote.acceptance.snapshotHash,
      orderId: added,
    });
    expect(fiber.lineage.evidence.length).toBeGreaterThan(0);
    const [addSub] = await subscriptions(added);
    expect(addSub!.payload.items.map((i: any) => i.commitment.action)).toEqual(['subscribe', 'subscribe']);
    expect(addSub!.payload.items[0].commitment).toMatchObject({
      contractTermMonths: 24,
      activationDate: expect.any(String),
      billingStartDate: expect.any(String),
    });
    const fields = await api.get<Record<string, any>[]>(
      `${inventory}/product?relatedParty.id=${account}&fields=status`,
      { token: partner },
    );
    expect(Object.keys(fields.body[0]!).sort()).toEqual(['@type', 'href', 'id', 'status']);
    expect(
      (
        await api.get<unknown[]>(`${inventory}/product?relatedParty.id=${account}`, {
          token: 'local-partner-b',
        })
      ).body,
    ).toEqual([]);
    expect((await product(fiber.id, 'local-partner-b')).status).toBe(404);

    // refusals, each before anything is written
    const foreign = await refused({ action: 'modify', productId: fiber.id, options: {} }, 'local-partner-b');
    expect([foreign.status, foreign.body.code]).toEqual([404, 'PRODUCT_NOT_FOUND']);
    const notApplicable = await refused({ action: 'resume', productId: fiber.id });
    expect([notApplicable.status, notApplicable.body.code]).toEqual([422, 'ACTION_NOT_APPLICABLE']);

    // modify: SD-WAN from 2 to 5 sites (the catalog's bandwidth-like option) pays the recurring difference
    const modified = await changeOrder('modify', sdwan.id, { sites: 5 });
    const m = await completed(modified, sdwan.id);
    expect(m.product.productCharacteristic).toEqual([{ name: 'sites', value: 5, valueType: 'number' }]);
    expect(m.commitment).toMatchObject({
      action: 'change',
      recurring: { amount: 75000, delta: 45000 },
      oneTime: [],
    });
    expect(m.productEvents.map((e) => e['detail-type'])).toEqual(['ProductAttributeValueChangeEvent']);

    // suspend, with the provisioning answer lost: applied once, found by the query
    await setFault('provisioning', 'lose-response', 1);
    const suspended = await changeOrder('suspend', fiber.id);
    const s = await completed(suspended, fiber.id);
    expectEachOnce(await activations(suspended));
    expect(s.product.status).toBe('suspended');
    expect(s.product.productOrderItem.map((i: any) => i.orderItemAction)).toEqual(['add', 'suspend']);
    expect(s.commitment).toMatchObject({ action: 'suspend', recurring: { amount: 0 } });
    expect(s.productEvents.map((e) => [e['detail-type'], e.detail.resource.status])).toEqual([
      ['ProductStateChangeEvent', 'suspended'],
    ]);

    const resumed = await changeOrder('resume', fiber.id);
    const r = await completed(resumed, fiber.id);
    expect(r.product.status).toBe('active');
    expect(r.commitment).toMatchObject({ action: 'resume', recurring: { amount: 90000 } });

    // the same change through TMF648: quoteItem.action and product.id
    const tmf = await api.post(
      `${quotesPath}/quote`,
      {
        relatedParty: [{ id: account, name: 'Acme', role: 'Customer' }],
        quoteItem: [{ id: '1', action: 'delete', product: { id: fiber.id } }],
      },
      { token: partner },
    );
    expect(tmf.status, JSON.stringify(tmf.body)).toBe(201);
    expect(tmf.body.quoteItem[0]).toMatchObject({
      action: 'delete',
      product: { id: fiber.id },
      productOffering: { id: 'off-fiber-1g' },
    });

    // delete before the end of the 24-month term owes the early-termination charge
    const deleted = await changeOrder('delete', fiber.id);
    const d = await completed(deleted, fiber.id);
    expect(d.product).toMatchObject({ status: 'terminated', terminationDate: expect.any(String) });
    expect(d.commitment.action).toBe('terminate');
    expect(d.commitment.oneTime).toEqual([{ name: 'earlyTermination', amount: 24 * 90000 * 0.5 }]);
    expect(d.productEvents.map((e) => e.detail.resource.status)).toEqual(['terminated']);

    const terminated = await refused({ action: 'modify', productId: fiber.id, options: {} });
    expect([terminated.status, terminated.body.code]).toEqual([422, 'PRODUCT_TERMINATED']);

    // a change held in fallout keeps the product: a second change is refused while it is in flight
    await setFault('provisioning', 'reject', 1);
    const held = await changeOrder('suspend', sdwan.id);
    await orderInState(held, 'held', partner);
    expect((await product(sdwan.id)).body).toMatchObject({ status: 'active', pendingProductOrderId: held });
    const inFlight = await refused({ action: 'modify', productId: sdwan.id, options: { sites: 3 } });
    expect([inFlight.status, inFlight.body.code]).toEqual([409, 'PRODUCT_CHANGE_IN_FLIGHT']);
    expect((await product(sdwan.id)).body.productCharacteristic).toEqual([
      { name: 'sites', value: 5, valueType: 'number' },
    ]);

    // the hub subscriber heard every change of the fiber, with the product resource
    const heard = await eventually(async () => {
      const fiberEvents = listener.received.filter((n) => n.event.product?.id === fiber.id);
      return fiberEvents.length >= 4 ? fiberEvents : undefined;
    });
    expect(heard.map((n) => [n.eventType, n.event.product.status])).toEqual([
      ['ProductCreateEvent', 'active'],
      ['ProductStateChangeEvent', 'suspended'],
      ['ProductStateChangeEvent', 'active'],
      ['ProductStateChangeEvent', 'terminated'],
    ]);
    expect((await api.delete(`${inventory}/hub/${hub.body.id}`, { token: partner })).status).toBe(204);
    await listener.close();
    history.orderIds = [added, modified, suspended, resumed, deleted];
    history.productIds = [fiber.id, sdwan.id];
  });

  it('takes change lines on PATCH (both APIs, same refusals) and orders a quote mixing a new product with a change', async () => {
    const [fiber, sdwan] = history.productIds as [string, string];
    const installed = await acceptedQuote(partner, [fiberLine()], account);
    const first = (await createOrder(installed, partner)).body.id as string;
    await orderInState(first, 'completed', partner);
    const productId = `prd-${first.replace(/^po-/, '')}-1`;

    const draft = await api.post(
      '/quotes',
      { customer: { accountId: account, name: 'Acme' }, currency: 'USD', lines: [fiberLine()] },
      { token: partner },
    );
    const patch = (lines: unknown[], version: number) =>
      api.patch(
        `/quotes/${draft.body.id}`,
        { lines },
        { token: partner, headers: { 'If-Match': `"${version}"` } },
      );
    for (const [line, status, code] of [
      [{ action: 'modify', productId: fiber, options: {} }, 422, 'PRODUCT_TERMINATED'],
      [{ action: 'modify', productId: sdwan, options: { sites: 3 } }, 409, 'PRODUCT_CHANGE_IN_FLIGHT'],
      [{ action: 'resume', productId }, 422, 'ACTION_NOT_APPLICABLE'],
      [{ action: 'suspend', productId: 'prd-none-1' }, 404, 'PRODUCT_NOT_FOUND'],
    ] as const) {
      const refused = await patch([fiberLine(), line], 1);
      expect([refused.status, refused.body.code], JSON.stringify(refused.body)).toEqual([status, code]);
    }
    // a new SD-WAN and a change of the installed fiber (to a 36-month term) on one quote
    const mixed = await patch(
      [
        { offeringId: 'off-sdwan', quantity: 1, options: { sites: 2 } },
        { action: 'modify', productId, options: { term: 36 } },
      ],
      1,
    );
    expect(mixed.status, JSON.stringify(mixed.body)).toBe(200);
    expect(mixed.body.lines.map((l: any) => [l.offeringId, l.action ?? 'add', l.productId])).toEqual([
      ['off-sdwan', 'add', undefined],
      ['off-fiber-1g', 'modify', productId],
    ]);
    // TMF648 PATCH: the quote item names the product it changes
    const tmf = await api.patch(
      `${quotesPath}/quote/${draft.body.id}`,
      { quoteItem: [{ id: '1', action: 'suspend', product: { id: productId } }] },
      { token: partner },
    );
    expect(tmf.status, JSON.stringify(tmf.body)).toBe(200);
    expect(tmf.body.quoteItem[0]).toMatchObject({ action: 'suspend', product: { id: productId } });
    const tmfRefused = await api.patch(
      `${quotesPath}/quote/${draft.body.id}`,
      { quoteItem: [{ id: '1', action: 'resume', product: { id: fiber } }] },
      { token: partner },
    );
    expect([tmfRefused.status, tmfRefused.body.code]).toEqual([422, 'PRODUCT_TERMINATED']);
    // a new line cannot build on a product the quote changes: its order would wait for an activation it never plans
    const unsafe = await api.patch(
      `/quotes/${draft.body.id}`,
      {
        lines: [
          { offeringId: 'off-static-ip', quantity: 1, options: { size: 8 } },
          { action: 'modify', productId, options: { term: 36 } },
        ],
      },
      { token: partner, headers: { 'If-Match': tmf.headers.get('etag') ?? '' } },
    );
    expect([unsafe.status, unsafe.body.code, unsafe.body.details?.rule]).toEqual([
      422,
      'INVALID_CONFIGURATION',
      'REQUIRES',
    ]);

    // the mixed quote ordered: the SD-WAN is installed and the fiber changed by one order
    const quote = await acceptedQuote(
      partner,
      [
        { offeringId: 'off-sdwan', quantity: 1, options: { sites: 2 } },
        { action: 'modify', productId, options: { term: 36 } } as never,
      ],
      account,
    );
    const order = await api.post(
      `${ordersPath}/productOrder`,
      {
        quote: [{ id: quote.id }],
        billingAccount: { id: 'ba-ib' },
        productOrderItem: [
          { id: '1', action: 'add', quoteItem: { id: '1' } },
          { id: '2', action: 'modify', quoteItem: { id: '2' }, product: { id: productId } },
        ],
      },
      { token: partner },
    );
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    await orderInState(order.body.id, 'completed', partner);
    expect((await product(productId)).body).toMatchObject({ status: 'active', contractTermMonths: 36 });
    const added = `prd-${String(order.body.id).replace(/^po-/, '')}-1`;
    expect((await product(added)).body).toMatchObject({
      status: 'active',
      productOffering: { id: 'off-sdwan' },
    });
    history.orderIds.push(first, order.body.id);
    history.productIds.push(productId, added);
  });

  it('reconciles that history: every completed item is on its product, billing charges what the inventory holds', async () => {
    expect(history.orderIds).toHaveLength(7);
    const reconcile = async (body: Record<string, unknown>) => {
      const started = await api.post('/ops/reconciliation-runs', body, { token: 'local-ops' });
      expect(started.status).toBe(202);
      return eventually(async () => {
        const r = await api.get(`/ops/reconciliation-runs/${started.body.runId}`, { token: 'local-ops' });
        return r.body.status === 'RUNNING' ? undefined : r.body;
      }, 300);
    };
    const run = await reconcile({
      orderIds: history.orderIds,
      productIds: history.productIds,
      checks: ['fulfilled-item-in-inventory', 'product-billed', 'billed-subscription-has-product'],
    });
    expect(run).toMatchObject({ status: 'COMPLETED', driftCount: 0, findings: [] });
    expect(run.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'fulfilled-item-in-inventory', examined: 9, findings: 0 }),
        // the first fiber is terminated; the SD-WAN held by the change in fallout is billed at 5 sites
        expect.objectContaining({ check: 'product-billed', examined: 3, findings: 0, unverified: 0 }),
      ]),
    );
    // billing's own listing, walked through the stack's billing API: none of these products is billed without being active
    const billed = await reconcile({ checks: ['billed-subscription-has-product'] });
    expect(billed).toMatchObject({ status: 'COMPLETED', segments: ['billing'] });
    expect(billed.findings.filter((f: any) => history.productIds.includes(f.sourceRecord.id))).toEqual([]);
  });
});
