import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { client, eventually } from '../support/api-client.ts';
import { quoteBody } from '../support/quote-flow.ts';
import { useStackTables } from '../support/stack-tables.ts';

const api = client();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

beforeAll(useStackTables);

const signals = async () => {
  const r = await api.get('/ops/dashboard', { token: 'local-ops' });
  expect(r.status).toBe(200);
  return r.body.signals as Record<string, { value: number | null; computedAt: string; source: string }>;
};

const names = [
  'staleQuotes',
  'stalePrices',
  'approvalInvalidationRate',
  'conversionFailures',
  'duplicateSubmitAttempts',
  'ordersInFallout',
  'oldestFalloutAgeMs',
  'unknownOutcomeTasks',
  'deadLetters',
  'reconciliationDrift',
  'projectionLagMs',
];

describe('ops dashboard', () => {
  it('serves every §19.2 signal with value, computedAt and source, to ops only', async () => {
    const s = await signals();
    for (const name of names) {
      expect(s[name], name).toMatchObject({ computedAt: expect.any(String), source: expect.any(String) });
      expect(s[name]!.value === null || typeof s[name]!.value === 'number', name).toBe(true);
    }
    for (const token of ['local-sales', 'local-partner-a', 'local-approver'])
      expect((await api.get('/ops/dashboard', { token })).status).toBe(403);
  });

  it('orders in fallout and oldest fallout age move when an order falls out', async () => {
    const orderId = `o-${randomUUID()}`;
    const since = hoursAgo(30 * 24);
    const header = {
      id: orderId,
      channelId: 'sales-portal',
      accountId: `acct-${randomUUID()}`,
      quoteId: `q-${randomUUID()}`,
    };
    await saveAggregate({
      kind: 'ORDER',
      id: orderId,
      expectedVersion: 0,
      aggregate: { ...header, state: 'held' },
      events: [
        {
          eventType: 'ProductOrderCreateEvent',
          domain: 'productOrder',
          resource: { ...header, state: 'acknowledged', orderDate: since },
        },
        {
          eventType: 'ProductOrderStateChangeEvent',
          domain: 'productOrder',
          resource: {
            ...header,
            state: 'held',
            previousState: 'inProgress',
            fallout: {
              reasonCode: 'RETRY_BUDGET_EXHAUSTED',
              ownerTeam: 'network-ops',
              nextAction: 'retry',
              since,
              taskId: 't',
            },
          },
        },
      ],
      correlationId: randomUUID(),
      now: new Date().toISOString(),
    });
    const after = await eventually(async () => {
      const s = await signals();
      return s.oldestFalloutAgeMs!.value! >= 30 * 24 * 3_600_000 - 60_000 && s.ordersInFallout!.value! >= 1
        ? s
        : undefined;
    });
    expect(after.oldestFalloutAgeMs!.value).toBeGreaterThanOrEqual(30 * 24 * 3_600_000 - 60_000);
    expect(after.ordersInFallout!.value).toBeGreaterThanOrEqual(1);
  });

  it('conversion failures move when an accepted quote stays unconverted past the threshold', async () => {
    const before = (await signals()).conversionFailures!.value!;
    const id = `q-${randomUUID()}`;
    await saveAggregate({
      kind: 'QUOTE',
      id,
      expectedVersion: 0,
      aggregate: {
        id,
        state: 'accepted',
        channelId: 'sales-portal',
        acceptance: { acceptedAt: hoursAgo(5) },
        validFor: { endDateTime: hoursAgo(-100) },
        approval: { requests: [], decisions: [], invalidations: [] },
      },
      events: [],
      correlationId: 'planted',
      now: hoursAgo(5),
    });
    const after = await eventually(async () => {
      const v = (await signals()).conversionFailures!.value!;
      return v > before ? v : undefined;
    });
    expect(after).toBeGreaterThan(before);
  });

  it('reconciliation drift shows the latest completed run', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveAggregate({
      kind: 'QUOTE',
      id: quoteId,
      expectedVersion: 0,
      aggregate: {
        id: quoteId,
        state: 'accepted',
        channelId: 'sales-portal',
        acceptance: { acceptedAt: hoursAgo(5) },
      },
      events: [],
      correlationId: 'planted',
      now: hoursAgo(5),
    });
    const started = await api.post(
      '/ops/reconciliation-runs',
      { quoteIds: [quoteId], checks: ['accepted-quote-converted'] },
      { token: 'local-ops' },
    );
    expect(started.status).toBe(202);
    const s = await eventually(async () => {
      const d = await signals();
      return d.reconciliationDrift!.value !== null ? d : undefined;
    });
    expect(s.reconciliationDrift!.source).toContain('reconciliation run');
  });

  it('duplicate submit attempts move when a client replays a command with the same key', async () => {
    const before = (await signals()).duplicateSubmitAttempts!.value ?? 0;
    const key = randomUUID();
    const body = quoteBody();
    expect((await api.post('/quotes', body, { token: 'local-sales', key })).status).toBe(201);
    const replay = await api.post('/quotes', body, { token: 'local-sales', key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const after = (await signals()).duplicateSubmitAttempts!.value ?? 0;
    expect(after).toBeGreaterThanOrEqual(before + 1);
  });
});
