import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { outboxEnvelope } from '#adapters/outbox-item';
import { physicalTableNames } from '#local/local-stack';
import { documentClient } from '#plumbing/clients';
import { client, eventually } from '../support/api-client.ts';
import { quoteBody } from '../support/quote-flow.ts';
import { useStackTables } from '../support/stack-tables.ts';

const api = client();

beforeAll(useStackTables);

const outboxEventIds = async (quoteId: string) => {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: physicalTableNames.aggregates,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `OUTBOX#QUOTE#${quoteId}` },
    }),
  );
  return (res.Items ?? []).map((i) => outboxEnvelope<EventEnvelope>(i)!.eventId);
};

describe('outbox delivery through a failing bus', () => {
  it('the bus refuses calls, then recovers: every event delivered exactly once, by eventId', async () => {
    const faults = await api.put(
      '/ops/local/event-bus/faults',
      { refuseCalls: 4, failEntries: 2 },
      { token: 'local-ops' },
    );
    expect(faults.status).toBe(200);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api.post('/quotes', quoteBody(), { token: 'local-sales' });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
      expect((await api.post(`/quotes/${created.body.id}/price`, {}, { token: 'local-sales' })).status).toBe(
        200,
      );
    }
    const expected = (await Promise.all(ids.map(outboxEventIds))).flat();
    expect(expected.length).toBeGreaterThanOrEqual(6);
    await eventually(async () => {
      const all = await Promise.all(
        ids.map((id) => api.get(`/ops/events?orderId=${id}`, { token: 'local-ops' })),
      );
      const delivered = all.flatMap((r) => r.body.events.map((e: any) => e.detail.eventId as string));
      return expected.every((e) => delivered.includes(e)) ? true : undefined;
    });
    const all = await Promise.all(
      ids.map((id) => api.get(`/ops/events?orderId=${id}`, { token: 'local-ops' })),
    );
    const delivered = all.flatMap((r) => r.body.events.map((e: any) => e.detail.eventId as string));
    expect(delivered.sort()).toEqual([...expected].sort());
    expect(new Set(delivered).size).toBe(delivered.length);
  });

  it('the read models see the same events once: the timeline has one entry per event', async () => {
    const body = quoteBody();
    const created = await api.post('/quotes', body, { token: 'local-sales' });
    await api.post(`/quotes/${created.body.id}/price`, {}, { token: 'local-sales' });
    const expected = await outboxEventIds(created.body.id);
    const timeline = await eventually(async () => {
      const t = await api.get(`/views/accounts/sales-portal:${body.customer.accountId}/timeline`, {
        token: 'local-sales',
      });
      return t.body.count === expected.length ? t.body : undefined;
    });
    expect(timeline.items.map((e: any) => e.source.eventId).sort()).toEqual([...expected].sort());
  });
});
