import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { putEventsMaxBytes } from '#adapters/put-events-limits';
import { billingFaithfulToOrder } from '#domain/audit/order-evidence';
import { productIdOf } from '#domain/inventory/product';
import {
  type BillingHandoff,
  billingHandoffBounds,
  billingHandoffOf,
  billingHandoffParts,
} from '#domain/order/billing-handoff';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { taskCorrelationId } from '#domain/order/correlation';
import {
  BILLING_HANDOFF_TASK_ID,
  billingHandoffTaskId,
  type DecompositionRuleSet,
  decomposeOrder,
  decompositionRules,
} from '#domain/order/decomposition';
import {
  completeOrder,
  nextStep,
  recordTaskCompleted,
  recordTaskDispatched,
  startFulfillment,
} from '#domain/order/fulfillment';
import { assertFulfillable, fulfillmentBounds, storedBytes } from '#domain/order/order-bounds';
import { validateTaskGraph } from '#domain/order/task-graph';
import { acceptedQuote, at, ctx, frozen, newOrder, orderRequest, runUntilBilling } from './fixtures.ts';

const planOf = (order = newOrder()) => {
  const result = decomposeOrder(order);
  if (!result.ok) throw new Error(`decomposition failed: ${JSON.stringify(result.failure)}`);
  return result.tasks;
};

describe('decomposeOrder', () => {
  it('maps offerings to tasks with dependencies, rule version and deterministic correlation ids', () => {
    const tasks = planOf();
    const deps = Object.fromEntries(tasks.map((t) => [t.id, t.dependsOn]));
    expect(deps).toEqual({
      'item-1-ACCESS_PROVISION': [],
      'item-1-SERVICE_ACTIVATION': ['item-1-ACCESS_PROVISION'],
      'item-2-SECURITY_ACTIVATION': ['item-1-SERVICE_ACTIVATION'],
      'item-3-IP_BLOCK_ASSIGN': ['item-1-SERVICE_ACTIVATION'],
      BILLING_HANDOFF: [
        'item-1-ACCESS_PROVISION',
        'item-1-SERVICE_ACTIVATION',
        'item-2-SECURITY_ACTIVATION',
        'item-3-IP_BLOCK_ASSIGN',
      ],
    });
    for (const task of tasks) {
      expect(task.ruleVersion).toBe('decomp-2026.11.0');
      expect(task.correlationId).toBe(taskCorrelationId('ord-1', task.id));
      expect(task.action).toBe('add');
    }
    expect(new Set(tasks.map((t) => t.correlationId)).size).toBe(tasks.length);
    expect(tasks.find((t) => t.type === 'BILLING_HANDOFF')).toMatchObject({
      downstream: 'billing',
      ownerTeam: 'billing-ops',
    });
    expect(
      tasks.filter((t) => t.downstream === 'provisioning').every((t) => t.ownerTeam === 'network-ops'),
    ).toBe(true);
  });

  it('a new item waits for an item the order installs, never for a product the order only changes', () => {
    const order = newOrder();
    const fiber = order.items[0]!;
    const installed = { status: 'active' as const, options: { ...fiber.options }, price: { ...fiber.price } };
    // The changed fiber listed first: it would be the first provider of the static IP's fiber.
    const changedFiber = {
      ...fiber,
      id: 'item-0',
      action: 'modify' as const,
      change: {
        action: 'modify' as const,
        productId: 'prd-old-1',
        installed,
        delta: { oneTime: 0, recurring: 0 },
        earlyTerminationCharge: 0,
      },
    };
    const tasks = planOf({ ...order, items: [changedFiber, ...order.items] });
    const staticIp = tasks.find(
      (t) => t.orderItemId === order.items[2]!.id && t.downstream === 'provisioning',
    )!;
    expect(staticIp.dependsOn).toContain(`${fiber.id}-SERVICE_ACTIVATION`);
    expect(staticIp.dependsOn.some((d) => d.startsWith('item-0-'))).toBe(false);
    expect(tasks.filter((t) => t.orderItemId === 'item-0').map((t) => t.type)).toEqual(['SERVICE_CHANGE']);
  });

  it('is deterministic: the same order gives the same plan', () => {
    expect(planOf()).toEqual(planOf());
    expect(taskCorrelationId('ord-1', 'a')).not.toBe(taskCorrelationId('ord-2', 'a'));
  });

  it('hands billing the accepted price components per item, not catalog prices', () => {
    const order = newOrder();
    const billing = planOf(order).find((t) => t.type === 'BILLING_HANDOFF')!;
    expect(billing.payload).toMatchObject({
      billingAccountId: 'ba-1',
      quoteId: 'q-1',
      currency: 'USD',
      acceptedSnapshotHash: 'sha256:abc',
      priceBookVersion: 'pb-2026.11.0',
    });
    const items = billing.payload.items as Record<string, unknown>[];
    expect(items[0]).toEqual({
      orderItemId: 'item-1',
      quoteItemId: 'ql-1',
      offeringId: 'off-fiber-1g',
      quantity: 1,
      options: { term: 36, install: 'express' },
      price: {
        listOneTime: 120000,
        listRecurring: 90000,
        discountPercent: 10,
        netOneTime: 108000,
        netRecurring: 81000,
      },
      currency: 'USD',
      discountOneTime: 12000,
      discountRecurring: 9000,
      // The commitment billing starts from: charges, discount and how long it runs, term and dates.
      commitment: {
        action: 'subscribe',
        // The subscription bills the product instance the item installs.
        productId: productIdOf(order.id, 'item-1'),
        oneTime: [{ name: 'installation', amount: 108000 }],
        recurring: { amount: 81000, period: 'month', delta: 81000 },
        discount: { percent: 10, amountRecurring: 9000, durationMonths: 36 },
        contractTermMonths: 36,
        activationDate: at(0),
        billingStartDate: at(0),
      },
    });
    expect(items).toHaveLength(3);
  });

  it('makes security depend on every connectivity activation it can attach to', () => {
    const quote = acceptedQuote({
      lines: [
        { ...acceptedQuote().lines[1]!, quoteItemId: 'ql-sec' },
        {
          quoteItemId: 'ql-sd',
          offeringId: 'off-sdwan',
          quantity: 1,
          options: { sites: 3 },
          price: acceptedQuote().lines[1]!.price,
        },
      ],
    });
    const tasks = planOf(newOrder(quote));
    expect(tasks.find((t) => t.type === 'SECURITY_ACTIVATION')?.dependsOn).toEqual([
      'item-2-SDWAN_ACTIVATION',
    ]);
  });

  it('turns an unknown offering into a failure value, and fulfillment into controlled fallout', () => {
    const quote = acceptedQuote({
      lines: [{ ...acceptedQuote().lines[0]!, offeringId: 'off-unknown' }],
    });
    const order = frozen(newOrder(quote));
    const result = decomposeOrder(order);
    expect(result).toMatchObject({ ok: false, failure: { reason: 'NO_RULE', offeringId: 'off-unknown' } });
    const { order: held, events } = startFulfillment(order, ctx(at(1)));
    expect(held.state).toBe('held');
    expect(held.fallout).toMatchObject({
      reasonCode: 'DECOMPOSITION_FAILED',
      ownerTeam: 'order-ops',
      taskId: 'DECOMPOSITION',
      since: at(1),
    });
    expect(held.plan).toBeUndefined();
    expect(nextStep(held)).toEqual({ kind: 'HELD' });
    expect(events.map((e) => e.eventType)).toEqual(['ProductOrderStateChangeEvent']);
  });

  it('fails when a required item is not on the order', () => {
    const quote = acceptedQuote({ lines: [acceptedQuote().lines[2]!] });
    expect(decomposeOrder(newOrder(quote))).toMatchObject({
      ok: false,
      failure: { reason: 'REQUIRED_ITEM_MISSING', offeringId: 'off-static-ip' },
    });
  });

  it('refuses a rule set whose graph has a cycle or a missing dependency', () => {
    const broken = (after: 'ACCESS_PROVISION' | 'SERVICE_ACTIVATION'): DecompositionRuleSet => ({
      ruleVersion: 'decomp-broken',
      rules: [
        ...decompositionRules.rules.filter((r) => r.offeringId !== 'off-fiber-1g'),
        {
          offeringId: 'off-fiber-1g',
          action: 'add',
          tasks: [{ type: 'ACCESS_PROVISION', downstream: 'provisioning', after: [after] }],
        },
      ],
    });
    const cyclic = decomposeOrder(newOrder(), broken('ACCESS_PROVISION'));
    expect(cyclic).toMatchObject({
      ok: false,
      ruleVersion: 'decomp-broken',
      failure: { reason: 'INVALID_GRAPH' },
    });
    const missing = decomposeOrder(newOrder(), broken('SERVICE_ACTIVATION'));
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.failure.problems?.some((p) => p.kind === 'MISSING_DEPENDENCY')).toBe(true);
  });
});

describe('validateTaskGraph', () => {
  it('accepts a DAG', () => {
    expect(
      validateTaskGraph([
        { id: 'a', dependsOn: [] },
        { id: 'b', dependsOn: ['a'] },
      ]),
    ).toEqual([]);
  });

  it('reports cycles, missing dependencies and duplicates', () => {
    const problems = validateTaskGraph([
      { id: 'a', dependsOn: ['c'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['b', 'zz'] },
      { id: 'c', dependsOn: ['b', 'zz'] },
    ]);
    expect(problems).toContainEqual({ kind: 'MISSING_DEPENDENCY', taskId: 'c', dependsOn: 'zz' });
    expect(problems).toContainEqual({ kind: 'DUPLICATE_TASK', taskId: 'c' });
    const cycle = problems.find((p) => p.kind === 'CYCLE');
    expect(cycle && 'taskIds' in cycle ? new Set(cycle.taskIds) : null).toEqual(new Set(['a', 'b', 'c']));
  });
});

describe('decomposition of large orders', () => {
  const mixed = (n: number) => {
    const base = acceptedQuote().lines;
    const lines = Array.from({ length: n }, (_, i) => ({
      ...base[i % base.length]!,
      quoteItemId: `ql-${i + 1}`,
      customerReference: `site-${Math.floor(i / base.length)}`,
    }));
    return newOrder(acceptedQuote({ lines }));
  };

  it('an item waits for the activation at its own site, not for every activation on the order', () => {
    const tasks = planOf(mixed(6));
    const deps = Object.fromEntries(tasks.map((t) => [t.id, t.dependsOn]));
    expect(deps['item-5-SECURITY_ACTIVATION']).toEqual(['item-4-SERVICE_ACTIVATION']);
    expect(deps['item-6-IP_BLOCK_ASSIGN']).toEqual(['item-4-SERVICE_ACTIVATION']);
  });

  it('the dependency lists grow linearly with the items (up to 500: one list per task, the first billing part, one edge per later part)', () => {
    for (const n of [10, 250, fulfillmentBounds.maxItems]) {
      const tasks = planOf(mixed(n));
      const provisioning = tasks.filter((t) => t.downstream === 'provisioning');
      const edges = provisioning.reduce((sum, t) => sum + t.dependsOn.length, 0);
      expect(edges).toBeLessThanOrEqual(provisioning.length);
      const billing = tasks.filter((t) => t.type === 'BILLING_HANDOFF');
      expect(billing.find((t) => t.id === BILLING_HANDOFF_TASK_ID)?.dependsOn).toHaveLength(
        provisioning.length,
      );
      const allEdges = tasks.reduce((sum, t) => sum + t.dependsOn.length, 0);
      expect(allEdges).toBeLessThanOrEqual(2 * provisioning.length + billing.length);
    }
  });

  it('hands billing every item exactly once, in parts of 100 acknowledged one after another', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: fulfillmentBounds.maxItems }), (n) => {
        const order = mixed(n);
        const tasks = planOf(order);
        const parts = tasks.filter((t) => t.type === 'BILLING_HANDOFF');
        const count = Math.ceil(n / billingHandoffBounds.itemsPerPart);
        expect(parts.map((t) => t.id)).toEqual(
          Array.from({ length: count }, (_, i) => billingHandoffTaskId(i + 1)),
        );
        const sent = parts.flatMap((t) => (t.payload as BillingHandoff).items.map((i) => i.orderItemId));
        expect(sent).toEqual(order.items.map((i) => i.id));
        parts.forEach((t, i) => {
          const payload = t.payload as BillingHandoff;
          expect(payload.items.length).toBeLessThanOrEqual(billingHandoffBounds.itemsPerPart);
          expect(payload.part).toEqual(count > 1 ? { number: i + 1, of: count } : undefined);
          if (i > 0) expect(t.dependsOn).toEqual([parts[i - 1]!.id]);
        });
        expect(validateTaskGraph(tasks)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('a 500-item order with billing commitments is accepted; each handoff part stays far below a workflow state', () => {
    const order = mixed(fulfillmentBounds.maxItems);
    const parts = billingHandoffParts(order);
    expect(parts).toHaveLength(5);
    expect(() => assertFulfillable(order.items.length, parts)).not.toThrow();
    expect(Math.max(...parts.map(storedBytes))).toBeLessThan(100 * 1024);
    // The whole handoff would not fit one workflow state: the reason it goes in parts.
    expect(storedBytes(billingHandoffOf(order))).toBeGreaterThan(fulfillmentBounds.maxBillingPartBytes);
  });

  it('the events of creating and starting a 500-item order each fit one EventBridge entry (256 KB)', () => {
    const base = acceptedQuote().lines;
    const lines = Array.from({ length: fulfillmentBounds.maxItems }, (_, i) => ({
      ...base[i % base.length]!,
      quoteItemId: `ql-${i + 1}`,
      customerReference: `site-${Math.floor(i / base.length)}`,
    }));
    const quote = acceptedQuote({ lines });
    const created = convertQuoteToOrder(orderRequest(quote), quote, { ...ctx(), orderId: 'ord-1' });
    const started = startFulfillment(created.order, ctx(at(1)));
    for (const event of [...created.events, ...started.events])
      expect(storedBytes(event), event.eventType).toBeLessThan(putEventsMaxBytes - 2 * 1024);
  });

  it('an order in three billing parts completes only once billing acknowledged every part; the audit sees one handoff', () => {
    const order = startFulfillment(mixed(250), ctx(at(1))).order;
    const acknowledged = (o: typeof order, taskId: string) =>
      recordTaskCompleted(
        recordTaskDispatched(o, taskId, ctx(at(2))).order,
        taskId,
        { downstreamRef: `ds-${taskId}`, source: 'response' },
        ctx(at(3)),
      ).order;
    let current = runUntilBilling(order);
    for (const id of [billingHandoffTaskId(1), billingHandoffTaskId(2)]) {
      expect(nextStep(current)).toMatchObject({ kind: 'DISPATCH', tasks: [{ taskId: id }] });
      current = acknowledged(current, id);
      expect(() => completeOrder(current, ctx(at(4)))).toThrow(/Open fulfillment tasks/);
      expect(billingFaithfulToOrder(current).faithful).toBe(false);
    }
    current = acknowledged(current, billingHandoffTaskId(3));
    expect(nextStep(current).kind).toBe('COMPLETE');
    expect(completeOrder(current, ctx(at(4))).order.state).toBe('completed');
    const audit = billingFaithfulToOrder(current);
    expect(audit.faithful).toBe(true);
    expect(audit.checks.find((c) => c.check === 'BILLING_ACKNOWLEDGED')?.detail).toMatchObject({ parts: 3 });
  });
});
