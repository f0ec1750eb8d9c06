import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { physicalTableNames } from '#local/local-stack';
import { client, eventually, ordersPath, stackUrl } from '../support/api-client.ts';
import { openApiValidator } from '../support/openapi-schema.ts';
import { orderBody } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, quoteBody } from '../support/quote-flow.ts';
import { useStackTables } from '../support/stack-tables.ts';

const api = client();

/** An order as the OMS would write it (create, start, fallout), planted with its outbox events. */
const plantHeldOrder = async (channelId: string, accountId: string, orderDate?: string) => {
  const orderId = `o-${randomUUID()}`;
  const now = new Date().toISOString();
  const header = (state: string) => ({
    id: orderId,
    state,
    channelId,
    accountId,
    quoteId: `q-${randomUUID()}`,
  });
  const task = (state: string, attempts: number, lastErrorCode?: string) => ({
    orderId,
    channelId,
    taskId: 't-access',
    orderItemId: 'item-1',
    type: 'ACCESS_PROVISION',
    action: 'add',
    downstream: 'provisioning',
    correlationId: `ful-${orderId}`,
    state,
    attempts,
    lastErrorCode,
    ownerTeam: 'network-ops',
  });
  const save = (
    v: number,
    state: string,
    events: { eventType: string; resource: Record<string, unknown> }[],
  ) =>
    saveAggregate({
      kind: 'ORDER',
      id: orderId,
      expectedVersion: v,
      aggregate: { id: orderId, state, channelId, accountId, planted: true },
      events: events.map((e) => ({ ...e, domain: 'productOrder' })),
      correlationId: randomUUID(),
      now,
    });
  await save(0, 'acknowledged', [
    {
      eventType: 'ProductOrderCreateEvent',
      resource: {
        ...header('acknowledged'),
        orderDate: orderDate ?? now,
        productOrderItem: [{ id: 'item-1', offeringId: 'off-fiber-1g', quantity: 1 }],
      },
    },
  ]);
  await save(1, 'held', [
    { eventType: 'FulfillmentTaskStateChangeEvent', resource: task('FAILED', 1, 'MISSING_PARAM') },
    {
      eventType: 'ProductOrderStateChangeEvent',
      resource: {
        ...header('held'),
        previousState: 'inProgress',
        at: now,
        fallout: {
          reasonCode: 'DOWNSTREAM_REJECTED',
          ownerTeam: 'network-ops',
          nextAction: 'Fix the VLAN and retry',
          since: now,
          taskId: 't-access',
          heldFrom: 'inProgress',
        },
      },
    },
  ]);
  return orderId;
};

beforeAll(useStackTables);
/** Every answer read here must be what /openapi.json says it is. */
let schemaErrors: Awaited<ReturnType<typeof openApiValidator>>;
beforeAll(async () => {
  schemaErrors = await openApiValidator(stackUrl());
});

describe('read models over HTTP', () => {
  it('approval inbox rows show staff the margin pricing computed, read from at most a page of quotes', async () => {
    const created = await api.post('/quotes', quoteBody([fiberLine(20)]), { token: 'local-sales' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await api.post(`/quotes/${id}/price`, {}, { token: 'local-sales' })).status).toBe(200);
    expect((await api.post(`/quotes/${id}/submit`, {}, { token: 'local-sales' })).status).toBe(200);
    const quote = (await api.get(`/quotes/${id}`, { token: 'local-sales' })).body;
    const totals = quote.priceSnapshot.totals;
    expect(totals.marginRecurring).toEqual(expect.any(Number));

    const row = await eventually(async () => {
      const inbox = await api.get('/views/approval-inbox', { token: 'local-approver' });
      return inbox.body.items?.find((i: any) => i.quoteId === id);
    });
    // 20 % off the fiber list price leaves a margin under the 30 % guardrail of net recurring.
    expect(row.margin).toEqual({
      amountMinor: totals.marginRecurring,
      percent: Math.round((totals.marginRecurring * 1000) / totals.netRecurring) / 10,
      currency: 'USD',
      basis: 'MONTHLY_RECURRING',
      belowGuardrail: true,
      quoteRevision: quote.version,
    });
    expect(row.margin.percent).toBe(25);

    // One page: its quote headers in one BatchGetItem, never more quote items than rows returned.
    const correlationId = `inbox-margin-${randomUUID()}`;
    const page = await api.get('/views/approval-inbox?limit=2', {
      token: 'local-ops',
      headers: { 'X-Correlation-Id': correlationId },
    });
    expect(page.status).toBe(200);
    expect(schemaErrors('ApprovalInboxPage', page.body)).toEqual([]);
    expect(page.body.items.every((i: any) => 'margin' in i)).toBe(true);
    const tally = (await api.get(`/ops/local/dynamo-requests/${correlationId}`, { token: 'local-ops' })).body;
    expect(tally.byCommand.BatchGetItemCommand, JSON.stringify(tally)).toBe(1);
    expect(tally.itemsRead[physicalTableNames.aggregates] ?? 0).toBeLessThanOrEqual(page.body.count);

    // Partners never reach the inbox, so never a margin; and IAM refused none of these reads.
    const partner = await api.get('/views/approval-inbox', { token: 'local-partner-a' });
    expect(partner.status).toBe(403);
    expect(JSON.stringify(partner.body)).not.toContain('margin');
    expect((await api.get('/ops/local/iam-denials', { token: 'local-ops' })).body.count).toBe(0);
  });

  it('approval inbox, expiring quotes and timeline follow a quote, per role, with freshness', async () => {
    const body = quoteBody([fiberLine(20)]);
    const created = await api.post('/quotes', body, { token: 'local-partner-a' });
    expect(created.status).toBe(201);
    expect(schemaErrors('Quote', created.body)).toEqual([]);
    const id = created.body.id as string;
    const priced = await api.post(`/quotes/${id}/price`, {}, { token: 'local-partner-a' });
    expect(priced.status).toBe(200);
    expect(schemaErrors('Quote', priced.body)).toEqual([]);
    expect((await api.post(`/quotes/${id}/submit`, {}, { token: 'local-partner-a' })).status).toBe(200);
    expect(schemaErrors('Quote', (await api.get(`/quotes/${id}`, { token: 'local-sales' })).body)).toEqual(
      [],
    );

    const item = await eventually(async () => {
      const inbox = await api.get('/views/approval-inbox', { token: 'local-approver' });
      return inbox.body.items?.find((i: any) => i.quoteId === id);
    });
    expect(item).toMatchObject({
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
      status: 'PENDING',
      submittedAt: expect.any(String),
      dueAt: expect.any(String),
      // requirements 003 §5.1: who acts, why, how urgent, the commercial risk
      quoteNumber: id,
      quoteRevision: expect.any(Number),
      customerName: 'Acme Manufacturing',
      currency: 'USD',
      maxDiscountPercent: 20,
      totalContractValueMinor: expect.any(Number),
      requestedBy: 'partner-a-user',
      currentApprover: { role: 'approver', minimumApprovalLimitPercent: 20 },
    });
    expect(item.totalContractValueMinor).toBeGreaterThan(0);
    expect(item.freshness).toMatchObject({
      sourceVersion: expect.any(Number),
      sourceEventId: expect.any(String),
      projectedAt: expect.any(String),
      lagMs: expect.any(Number),
      projection: 'approval-inbox',
      projectionVersion: expect.any(Number),
      schemaVersion: 2,
      projectorVersion: 'quote-summary@2',
    });
    const inbox = await api.get('/views/approval-inbox', { token: 'local-ops' });
    expect(inbox.status).toBe(200);
    expect(schemaErrors('ApprovalInboxPage', inbox.body)).toEqual([]);
    for (const token of ['local-partner-a', 'local-sales'])
      expect((await api.get('/views/approval-inbox', { token })).status).toBe(403);
    expect((await api.get('/views/approval-inbox')).status).toBe(401);

    // Expiring within the default 30 days validity: visible with withinDays=31 to its channel.
    const expiring = (token: string) => api.get('/views/expiring-quotes?withinDays=31', { token });
    await eventually(async () =>
      (await expiring('local-partner-a')).body.items.some((i: any) => i.quoteId === id) ? true : undefined,
    );
    expect((await expiring('local-partner-b')).body.items.some((i: any) => i.quoteId === id)).toBe(false);
    for (const token of ['local-sales', 'local-approver', 'local-ops'])
      expect((await expiring(token)).body.items.some((i: any) => i.quoteId === id)).toBe(true);
    expect((await expiring('local-sales')).body.items.find((i: any) => i.quoteId === id)).toMatchObject({
      owner: 'partner-a-user',
      revision: expect.any(Number),
      approval: { status: 'PENDING', at: expect.any(String), ageMs: expect.any(Number) },
      stalePrice: false,
      conversion: { eligible: false, blockers: ['APPROVAL_PENDING'] },
    });
    expect(schemaErrors('ExpiringQuotesPage', (await expiring('local-partner-a')).body)).toEqual([]);
    expect(
      (await api.get('/views/expiring-quotes?withinDays=0', { token: 'local-sales' })).body.items.some(
        (i: any) => i.quoteId === id,
      ),
    ).toBe(false);
    expect((await api.get('/views/expiring-quotes?withinDays=abc', { token: 'local-sales' })).status).toBe(
      400,
    );

    // Approve: out of the inbox; the timeline shows the history with source identity.
    expect(
      (
        await api.post(
          `/quotes/${id}/approvals`,
          { decision: 'APPROVE', comment: 'ok' },
          { token: 'local-approver' },
        )
      ).status,
    ).toBe(200);
    await eventually(async () => {
      const inbox = await api.get('/views/approval-inbox', { token: 'local-approver' });
      return inbox.body.items.some((i: any) => i.quoteId === id) ? undefined : true;
    });
    const accountId = body.customer.accountId;
    const timeline = await eventually(async () => {
      const t = await api.get(`/views/accounts/partner-a:${accountId}/timeline`, { token: 'local-sales' });
      return t.body.items?.some((e: any) => e.source.eventType === 'QuoteApprovalDecidedEvent')
        ? t.body
        : undefined;
    });
    expect(schemaErrors('AccountTimelinePage', timeline)).toEqual([]);
    expect(timeline.items[0].source).toMatchObject({
      aggregateType: 'QUOTE',
      aggregateId: id,
      aggregateVersion: 1,
      eventType: 'QuoteCreateEvent',
      eventId: expect.any(String),
      at: expect.any(String),
    });
    const times = timeline.items.map((e: any) => e.occurredAt);
    expect([...times].sort()).toEqual(times);
    // Approval steps are staff-only: the partner reads its channel's entries, none of them.
    const partnerTimeline = (
      await api.get(`/views/accounts/${accountId}/timeline`, { token: 'local-partner-a' })
    ).body;
    expect(partnerTimeline.count).toBeGreaterThan(0);
    expect(partnerTimeline.items.every((e: any) => e.visibility === 'channel')).toBe(true);
    expect(JSON.stringify(partnerTimeline)).not.toContain('QuoteApproval');
    expect(timeline.items.some((e: any) => e.visibility === 'staff' && e.timelineSource === 'quote')).toBe(
      true,
    );
    expect(
      (await api.get(`/views/accounts/${accountId}/timeline`, { token: 'local-partner-b' })).body.count,
    ).toBe(0);
    expect((await api.get(`/views/accounts/${accountId}/timeline`, { token: 'local-approver' })).status).toBe(
      403,
    );
  });

  it('order tracking and fallout: roles, partner isolation, reason, owner team, age and freshness', async () => {
    const orderId = await plantHeldOrder('partner-a', `acct-${randomUUID()}`);
    const view = await eventually(async () => {
      const r = await api.get(`/views/order-tracking/${orderId}`, { token: 'local-ops' });
      return r.status === 200 && r.body.state === 'held' ? r.body : undefined;
    });
    expect(schemaErrors('OrderTrackingView', view)).toEqual([]);
    expect(view.tasks[0]).toMatchObject({
      type: 'ACCESS_PROVISION',
      downstream: 'provisioning',
      state: 'FAILED',
      attempts: 1,
      correlationId: `ful-${orderId}`,
      lastErrorCode: 'MISSING_PARAM',
      ownerTeam: 'network-ops',
    });
    expect(view.billingHandoff).toEqual({ state: 'NOT_STARTED' });
    expect(view).toMatchObject({ orderNumber: orderId, stateAgeMs: expect.any(Number) });
    expect(view.items[0]).toMatchObject({
      id: 'item-1',
      state: 'failed',
      fulfillmentMilestone: 'ACCESS_PROVISION',
      blockingTaskId: 't-access',
    });
    expect(view.slaRisk.level).toBe('HIGH');
    expect(view.freshness).toMatchObject({
      sourceVersion: 2,
      projection: 'order-tracking',
      schemaVersion: 2,
      projectorVersion: 'order-tracking@2',
    });
    // The partner reads its order's states, none of the internal fields.
    const partnerView = await api.get(`/views/order-tracking/${orderId}`, { token: 'local-partner-a' });
    expect(partnerView.status).toBe(200);
    expect(schemaErrors('OrderTrackingView', partnerView.body)).toEqual([]);
    expect(partnerView.body.tasks[0]).toEqual({
      orderItemId: 'item-1',
      type: 'ACCESS_PROVISION',
      action: 'add',
      state: 'FAILED',
    });
    for (const internal of [
      'provisioning',
      `ful-${orderId}`,
      'network-ops',
      'MISSING_PARAM',
      'DOWNSTREAM_REJECTED',
      'Fix the VLAN',
      'fallout',
      'nextAction',
    ])
      expect(JSON.stringify(partnerView.body)).not.toContain(internal);
    expect((await api.get(`/views/order-tracking/${orderId}`, { token: 'local-sales' })).status).toBe(200);
    const other = await api.get(`/views/order-tracking/${orderId}`, { token: 'local-partner-b' });
    expect(other.status).toBe(404);
    expect((await api.get(`/views/order-tracking/${orderId}`, { token: 'local-approver' })).status).toBe(403);
    expect((await api.get(`/views/order-tracking/o-${randomUUID()}`, { token: 'local-ops' })).status).toBe(
      404,
    );

    const fallout = await api.get('/views/fallout', { token: 'local-ops' });
    expect(schemaErrors('FalloutPage', fallout.body)).toEqual([]);
    // The query is the closed shape the document shows: anything else is named in the 400.
    const unknown = await api.get('/views/fallout?sort=age', { token: 'local-ops' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      code: 'MALFORMED_REQUEST',
      details: { fields: [expect.anything()] },
    });
    const row = fallout.body.items.find((i: any) => i.orderId === orderId);
    expect(row).toMatchObject({
      reasonCode: 'DOWNSTREAM_REJECTED',
      ownerTeam: 'network-ops',
      nextAction: 'Fix the VLAN and retry',
      ageMs: expect.any(Number),
    });
    expect(row.freshness.sourceVersion).toBe(2);
    for (const token of ['local-sales', 'local-partner-a', 'local-approver'])
      expect((await api.get('/views/fallout', { token })).status).toBe(403);
  });

  it('quote worklist, stale approvals and order SLA risk: blockers, invalidation, ranking, per channel', async () => {
    const partnerA = { token: 'local-partner-a' };
    const created = await api.post('/quotes', quoteBody([fiberLine(20)]), partnerA);
    const id = created.body.id as string;
    await api.post(`/quotes/${id}/price`, {}, partnerA);
    expect((await api.post(`/quotes/${id}/submit`, {}, partnerA)).status).toBe(200);
    const worklistRow = (token: string) => async () =>
      (await api.get('/views/quote-worklist', { token })).body.items?.find((i: any) => i.quoteId === id);
    const pending = await eventually(async () => {
      const row = await worklistRow('local-partner-a')();
      return row?.state === 'pending' ? row : undefined;
    });
    expect(pending).toMatchObject({ blockers: ['APPROVAL_PENDING'], nextAction: 'AWAIT_APPROVAL' });
    expect(pending.freshness).toMatchObject({
      projection: 'quote-worklist',
      projectorVersion: 'quote-summary@2',
    });
    expect(pending.owner).toBe('partner-a-user');
    expect(await worklistRow('local-partner-b')()).toBeUndefined();
    // A seller's own worklist: the caller's (`me`), or a named seller of a channel (staff).
    const sellerList = async (query: string, token: string) => {
      const r = await api.get(`/views/quote-worklist?${query}`, { token });
      expect(r.status).toBe(200);
      expect(schemaErrors('QuoteWorklistPage', r.body)).toEqual([]);
      return r.body.items.map((i: any) => i.quoteId);
    };
    expect(await sellerList('owner=me', 'local-partner-a')).toContain(id);
    expect(await sellerList('owner=partner-a-user&channelId=partner-a', 'local-ops')).toContain(id);
    expect(await sellerList('owner=me', 'local-sales')).not.toContain(id);
    expect(await sellerList('owner=partner-a-user&channelId=partner-a', 'local-partner-b')).not.toContain(id);

    // A price-relevant change after the request invalidates it: the approver's stale list shows why.
    const etag = (await api.get(`/quotes/${id}`, partnerA)).headers.get('etag') ?? '';
    const patched = await api.patch(
      `/quotes/${id}`,
      { lines: [fiberLine(30)] },
      { ...partnerA, headers: { 'If-Match': etag } },
    );
    expect(patched.status).toBe(200);
    const stale = await eventually(async () =>
      (await api.get('/views/stale-approvals', { token: 'local-approver' })).body.items?.find(
        (i: any) => i.quoteId === id,
      ),
    );
    expect(stale).toMatchObject({
      invalidatedBy: expect.any(String),
      invalidatedAt: expect.any(String),
      state: 'inProgress',
    });
    expect(stale.freshness.projection).toBe('stale-approvals');
    expect(
      schemaErrors(
        'StaleApprovalsPage',
        (await api.get('/views/stale-approvals', { token: 'local-approver' })).body,
      ),
    ).toEqual([]);
    expect((await worklistRow('local-sales')())?.blockers).toContain('APPROVAL_INVALIDATED');
    expect((await api.get('/views/stale-approvals', partnerA)).status).toBe(403);

    // An old held order ranks first among the high risks; the partner reads no internal field.
    const orderId = await plantHeldOrder('partner-a', `acct-${randomUUID()}`, '2001-01-01T00:00:00.000Z');
    const ops = await eventually(async () => {
      const r = await api.get('/views/order-sla-risk?limit=5', { token: 'local-ops' });
      return r.body.items?.some((i: any) => i.orderId === orderId) ? r.body : undefined;
    });
    expect(schemaErrors('OrderSlaRiskPage', ops)).toEqual([]);
    expect(ops.items.find((i: any) => i.orderId === orderId).slaRisk).toEqual({
      level: 'HIGH',
      reason: 'fallout DOWNSTREAM_REJECTED',
    });
    const partner = await api.get('/views/order-sla-risk?limit=5', partnerA);
    const own = partner.body.items.find((i: any) => i.orderId === orderId);
    expect(own.slaRisk).toEqual({ level: 'HIGH' });
    expect(JSON.stringify(partner.body)).not.toMatch(/DOWNSTREAM_REJECTED|network-ops|fallout|reason/);
    const other = await api.get('/views/order-sla-risk', { token: 'local-partner-b' });
    expect(other.body.items.some((i: any) => i.orderId === orderId)).toBe(false);
    expect((await api.get('/views/order-sla-risk?state=held', { token: 'local-ops' })).status).toBe(400);
  });

  it('a real order: tracking by item with product names and promised date, timeline from every source, paged per source', async () => {
    const accountId = `acct-${randomUUID()}`;
    const quote = await acceptedQuote('local-partner-a', [fiberLine()], accountId);
    const created = await api.post(`${ordersPath}/productOrder`, orderBody(quote), {
      token: 'local-partner-a',
    });
    expect(created.status).toBe(201);
    const orderId = created.body.id as string;
    const view = await eventually(async () => {
      const r = await api.get(`/views/order-tracking/${orderId}`, { token: 'local-ops' });
      return r.status === 200 && r.body.state === 'completed' && r.body.billingHandoff.state === 'DONE'
        ? r.body
        : undefined;
    }, 200);
    expect(schemaErrors('OrderTrackingView', view)).toEqual([]);
    expect(view).toMatchObject({
      orderNumber: orderId,
      customer: { accountId, displayName: 'Acme Manufacturing' },
      source: { quoteId: quote.id, quoteRevision: quote.version },
      dates: { submittedAt: expect.any(String), promisedCompletionAt: expect.any(String) },
    });
    expect(view.items[0]).toMatchObject({
      productName: expect.any(String),
      action: 'add',
      state: 'completed',
      fulfillmentMilestone: 'COMPLETED',
      blockingTaskId: null,
      waitingFor: [],
    });

    // Task, billing and asset entries beside the quote's and the order's.
    const path = `/views/accounts/partner-a:${accountId}/timeline`;
    const full = await eventually(async () => {
      const t = await api.get(`${path}?limit=100`, { token: 'local-ops' });
      const sources = new Set(t.body.items?.map((e: any) => e.entryType));
      return ['TASK_COMPLETED', 'BILLING_ACKNOWLEDGED', 'PRODUCT_CREATE'].every((x) => sources.has(x))
        ? t.body
        : undefined;
    });
    expect(schemaErrors('AccountTimelinePage', full)).toEqual([]);
    expect(new Set(full.items.map((e: any) => e.timelineSource))).toEqual(
      new Set(['quote', 'order', 'task', 'billing', 'asset']),
    );
    // Page by page (one position per source in the cursor), the same entries in the same order.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.get(`${path}?limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
        token: 'local-ops',
      });
      expect(page.status).toBe(200);
      paged.push(...page.body.items.map((e: any) => e.source.eventId + e.entryType));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(full.items.map((e: any) => e.source.eventId + e.entryType));
    const billing = await api.get(`${path}?source=billing`, { token: 'local-ops' });
    expect(billing.body.items.map((e: any) => e.entryType)).toEqual([
      'BILLING_HANDOFF_SENT',
      'BILLING_ACKNOWLEDGED',
    ]);
    expect((await api.get(`${path}?source=ledger`, { token: 'local-ops' })).status).toBe(400);
    const partner = await api.get(`/views/accounts/${accountId}/timeline?limit=100`, {
      token: 'local-partner-a',
    });
    expect(partner.body.items.length).toBeGreaterThan(0);
    expect(partner.body.items.every((e: any) => e.visibility === 'channel')).toBe(true);
    expect(JSON.stringify(partner.body)).not.toMatch(/provisioning|QuoteApproval/);
  });
});
