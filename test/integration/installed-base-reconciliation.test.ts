import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { loadProducts, productWrite } from '#adapters/product-repository';
import { runWithProgress } from '#commands/reconciliation-runs';
import type { InstalledProduct } from '#domain/inventory/product';
import type { ProductStatus } from '#domain/inventory/product-status';
import { ensureTables } from '#local/dynamo';
import { localCredentials, localRegion } from '#local/local-aws';
import { routeLocally } from '#local/local-router';
import { localRoutes } from '#local/local-routes';
import { DownstreamSimulator, simulatorTable, simulatorTableSpec } from '#local/simulators';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { reconcileBySteps, reconcileOnShortClock } from '../support/reconcile-steps.ts';

/**
 * The installed-base reconciliation pairs against DynamoDB Local and the billing simulator (its
 * subscriptions opened by real billing handoffs, read over its HTTP API): each planted drift is a
 * finding with both records, and nothing is patched.
 */
const dynamo = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: localRegion,
  credentials: localCredentials,
});
const billing = new DownstreamSimulator('billing', documentClient(), 50, 3000);
let server: Server;
const asked: string[] = [];
const hanging = new Set<string>();

beforeAll(async () => {
  await ensureTables(dynamo, { [simulatorTable]: simulatorTableSpec });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const productId = decodeURIComponent(url.pathname.split('/subscriptions/')[1] ?? '');
    if (productId) asked.push(productId);
    // Billing never answers for these: the check must stop at the time left.
    if (hanging.has(productId)) return;
    void routeLocally(
      localRoutes,
      'internal',
      {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: {},
        body: '',
        sourceIp: '127.0.0.1',
      },
      { simulators: { billing } } as never,
      res,
    ).then((reply) => {
      if (!reply || reply === 'handled') return res.writeHead(404).end();
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  process.env.BILLING_URL = `http://127.0.0.1:${port}/downstream/billing`;
  process.env.RECON_BILLING_GRACE_MS = '0';
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  dynamo.destroy();
});

const at = new Date(Date.now() - 3_600_000).toISOString();
const run = randomUUID().slice(0, 8);
const pid = (n: number) => `prd-it-${run}-${n}`;

const plantProduct = async (
  id: string,
  status: ProductStatus,
  netRecurring: number,
  changes: { orderId: string; orderItemId: string; action: string; status: ProductStatus }[],
) => {
  const lineage = {
    quoteId: 'q',
    quoteRevision: 'sha',
    quoteItemId: '1',
    orderId: 'po-x',
    orderItemId: '1',
    evidence: [],
  };
  const product: InstalledProduct = {
    id,
    version: 1,
    channelId: 'partner-a',
    accountId: `acct-${run}`,
    billingAccountId: 'ba-1',
    offeringId: 'off-fiber-1g',
    status,
    quantity: 1,
    characteristics: {},
    currency: 'USD',
    price: { netOneTime: 0, netRecurring, listOneTime: 0, listRecurring: netRecurring, discountPercent: 0 },
    startDate: at,
    lineage,
    changes: changes.map((c) => ({ ...lineage, ...c, at })),
    updatedAt: at,
  };
  await documentClient().send(
    new PutCommand({ TableName: env.table('aggregates'), Item: productWrite(product, true).item }),
  );
};

const plantCompletedOrder = async (
  items: { id: string; action: string; productId?: string; netRecurring: number }[],
) => {
  const id = `po-it-${randomUUID()}`;
  await saveAggregate({
    kind: 'ORDER',
    id,
    expectedVersion: 0,
    aggregate: {
      id,
      state: 'completed',
      channelId: 'partner-a',
      accountId: `acct-${run}`,
      quoteId: 'q',
      orderDate: at,
      tasks: [],
      items: items.map((i) => ({
        id: i.id,
        action: i.action,
        price: { netRecurring: i.netRecurring },
        ...(i.productId ? { change: { productId: i.productId } } : {}),
      })),
    },
    events: [],
    correlationId: 'plant',
    now: at,
  });
  return id;
};

/** What billing was sent by a billing handoff: one commitment per product. */
const bill = async (orderId: string, items: { productId: string; action: string; amount: number }[]) => {
  const reply = await billing.request({
    correlationId: `bil-${randomUUID()}`,
    orderId,
    taskId: 'BILLING_HANDOFF',
    action: 'add',
    payload: {
      orderId,
      accountId: `acct-${run}`,
      billingAccountId: 'ba-1',
      items: items.map((i) => ({
        currency: 'USD',
        commitment: { action: i.action, productId: i.productId, recurring: { amount: i.amount } },
      })),
    },
  });
  expect(reply.status).toBe(201);
};

describe('installed-base reconciliation (fulfilled item ↔ product, product ↔ billing subscription)', () => {
  it('finds each planted drift with both records as evidence and patches nothing', async () => {
    // Order A: item 1 installed and billed as committed (no drift); item 2 completed, never installed.
    const orderA = await plantCompletedOrder([
      { id: '1', action: 'add', netRecurring: 9000 },
      { id: '2', action: 'add', netRecurring: 5000 },
    ]);
    const a1 = `prd-${orderA.replace(/^po-/, '')}-1`;
    const a2 = `prd-${orderA.replace(/^po-/, '')}-2`;
    await plantProduct(a1, 'active', 9000, [
      { orderId: orderA, orderItemId: '1', action: 'add', status: 'active' },
    ]);
    // Order B suspended product 2: the inventory records the suspension but shows it still active.
    const orderB = await plantCompletedOrder([
      { id: '1', action: 'suspend', productId: pid(2), netRecurring: 7000 },
    ]);
    await plantProduct(pid(2), 'active', 7000, [
      { orderId: 'po-old', orderItemId: '1', action: 'add', status: 'active' },
      { orderId: orderB, orderItemId: '1', action: 'suspend', status: 'suspended' },
    ]);
    // Product 3 active and never billed; product 4 billed at another price; product 5 terminated, still billed.
    await plantProduct(pid(3), 'active', 4000, []);
    await plantProduct(pid(4), 'active', 6000, []);
    await plantProduct(pid(5), 'terminated', 3000, []);
    await bill(orderA, [
      { productId: a1, action: 'subscribe', amount: 9000 },
      { productId: pid(2), action: 'subscribe', amount: 7000 },
      { productId: pid(4), action: 'subscribe', amount: 6500 },
      { productId: pid(5), action: 'subscribe', amount: 3000 },
    ]);
    const before = await loadProducts([a1, pid(2), pid(3), pid(4), pid(5)]);

    const { run: result } = await reconcileBySteps({
      orderIds: [orderA, orderB],
      productIds: [a1, pid(2), pid(3), pid(4), pid(5)],
      checks: ['fulfilled-item-in-inventory', 'product-billed', 'billed-subscription-has-product'],
    });
    const found = result!.findings.map((f) => [
      f.classification,
      f.sourceRecord.id,
      f.counterpartRecord?.id ?? null,
    ]);
    expect(found.sort()).toEqual(
      [
        ['FULFILLED_ITEM_NOT_IN_INVENTORY', `${orderA}/2`, null],
        ['INVENTORY_STATE_MISMATCH', `${orderB}/1`, pid(2)],
        ['ACTIVE_PRODUCT_NOT_BILLED', pid(3), null],
        ['BILLING_PRICE_MISMATCH', pid(4), pid(4)],
        ['BILLED_WITHOUT_ACTIVE_PRODUCT', pid(5), pid(5)],
      ].sort(),
    );
    const byClass = (c: string) => result!.findings.find((f) => f.classification === c)!;
    expect(byClass('FULFILLED_ITEM_NOT_IN_INVENTORY').sourceRecord).toMatchObject({
      productId: a2,
      action: 'add',
    });
    expect(byClass('INVENTORY_STATE_MISMATCH')).toMatchObject({
      sourceRecord: { system: 'oms', action: 'suspend', expectedStatus: 'suspended' },
      counterpartRecord: { system: 'inventory', state: 'active' },
    });
    expect(byClass('BILLING_PRICE_MISMATCH')).toMatchObject({
      sourceRecord: { system: 'inventory', netRecurring: 6000 },
      counterpartRecord: { system: 'billing', state: 'active', recurring: 6500, lastOrderId: orderA },
    });
    expect(byClass('BILLED_WITHOUT_ACTIVE_PRODUCT')).toMatchObject({
      sourceRecord: { system: 'billing', state: 'active' },
      counterpartRecord: { system: 'inventory', state: 'terminated' },
    });
    expect(
      result!.findings.every((f) => f.repairDecision.mode === 'MANUAL' && f.resultingState === 'OPEN'),
    ).toBe(true);
    expect(result!.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'fulfilled-item-in-inventory', examined: 3, findings: 2 }),
        expect.objectContaining({ check: 'product-billed', examined: 4, findings: 2 }),
        expect.objectContaining({ check: 'billed-subscription-has-product', examined: 4, findings: 1 }),
      ]),
    );
    // No silent patching: every product and subscription is as it was.
    expect(await loadProducts([a1, pid(2), pid(3), pid(4), pid(5)])).toEqual(before);
    expect(await billing.subscriptions!.get(pid(5))).toMatchObject({ status: 'active', recurring: 3000 });

    // The scheduled run walks every product shard of the type index (no scan) and finds the same.
    const full = await reconcileBySteps({ checks: ['product-billed'] });
    expect(full.run!.segments).toHaveLength(8);
    const mine = full.run!.findings.filter((f) => [a1, pid(2), pid(3), pid(4)].includes(f.sourceRecord.id));
    expect(mine.map((f) => [f.classification, f.sourceRecord.id]).sort()).toEqual(
      [
        ['ACTIVE_PRODUCT_NOT_BILLED', pid(3)],
        ['BILLING_PRICE_MISMATCH', pid(4)],
      ].sort(),
    );
  });

  it('walks billing’s own subscription listing page by page to find a subscription with no product', async () => {
    process.env.RECON_PAGE_SIZE = '2';
    try {
      const orderId = `po-it-${randomUUID()}`;
      await plantProduct(pid(10), 'active', 2000, []);
      await bill(orderId, [
        { productId: pid(10), action: 'subscribe', amount: 2000 },
        { productId: pid(11), action: 'subscribe', amount: 2500 },
        { productId: pid(12), action: 'subscribe', amount: 2500 },
      ]);
      await bill(orderId, [{ productId: pid(12), action: 'terminate', amount: 0 }]);
      const { run: result, runId } = await reconcileBySteps({ checks: ['billed-subscription-has-product'] });
      expect(result!.status).toBe('COMPLETED');
      const mine = result!.findings.filter((f) => String(f.sourceRecord.id).startsWith(`prd-it-${run}-1`));
      expect(mine.map((f) => [f.classification, f.sourceRecord.id, f.counterpartRecord])).toEqual([
        ['BILLED_WITHOUT_ACTIVE_PRODUCT', pid(11), null],
      ]);
      const summary = result!.checks.find((c) => c.check === 'billed-subscription-has-product')!;
      expect(summary.examined).toBeGreaterThanOrEqual(2);
      expect(result!.segments).toEqual(['billing']);
      // Pages of two: at least the three subscriptions planted here took two pages.
      expect((await runWithProgress(runId))!.progress!.pages).toBeGreaterThanOrEqual(2);
    } finally {
      delete process.env.RECON_PAGE_SIZE;
    }
  });
  it('a product page over a hanging billing stops at the time left and resumes from its cut: each product asked once', async () => {
    for (let i = 0; i < 12; i++) {
      hanging.add(pid(100 + i));
      await plantProduct(pid(100 + i), 'active', 1000, []);
    }
    Object.assign(process.env, { DOWNSTREAM_TIMEOUT_MS: '200', RECON_CHECKPOINT_RESERVE_MS: '1' });
    try {
      // Each look at the clock finds 250 ms gone: 6 queries start before the reserve (201 ms).
      const { run: result, queriesPerInvocation } = await reconcileOnShortClock(
        { checks: ['product-billed'] },
        asked,
      );
      expect(result.status).toBe('COMPLETED');
      expect(Math.max(...queriesPerInvocation)).toBeLessThanOrEqual(6);
      for (const id of hanging)
        expect(
          asked.filter((a) => a === id),
          id,
        ).toHaveLength(1);
      const summary = result.checks.find((c) => c.check === 'product-billed')!;
      expect(summary.unverified).toBeGreaterThanOrEqual(hanging.size);
      // Billing that cannot answer is no evidence of drift.
      expect(result.findings.filter((f) => hanging.has(String(f.sourceRecord.id)))).toEqual([]);
    } finally {
      delete process.env.DOWNSTREAM_TIMEOUT_MS;
      delete process.env.RECON_CHECKPOINT_RESERVE_MS;
    }
  });
});
