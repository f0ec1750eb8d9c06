import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEnvelope, packedEnvelope } from '#adapters/outbox-item';
import { putEventsEntrySize, putEventsMaxBytes } from '#adapters/put-events-limits';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { startSubscriber } from '#test/hub-subscriber';
import { useStackTables } from '#test/stack-tables';
import { client, eventually, quotesPath } from '../support/api-client.ts';
import { health } from '../support/faults.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const partner = { token: 'local-partner-a' };
const ops = { token: 'local-ops' };
const lines = 200;

type Item = Record<string, any>;
const table = () => env.table('aggregates');
const outboxOf = async (quoteId: string): Promise<Item[]> =>
  (
    await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `OUTBOX#QUOTE#${quoteId}` },
        Limit: 20,
      }),
    )
  ).Items ?? [];
/** The quote's items: its header and, a quote of more than 100 lines, its pages. */
const aggregateOf = async (quoteId: string): Promise<Item[]> =>
  (
    await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `QUOTE#${quoteId}` },
        Limit: 20,
      }),
    )
  ).Items!;
/** The same item under another quote id (every key, index attribute and field that names it). */
const renamed = (item: Item, from: string, to: string): Item =>
  JSON.parse(JSON.stringify(item).replaceAll(from, to));
const put = (item: Item) => documentClient().send(new PutCommand({ TableName: table(), Item: item }));

const sinks = async () => {
  const h = await health();
  const outbox = (h.components.queues as { name: string; parked: number; deadLetters: number }[]).find(
    (q) => q.name === 'outbox-parked',
  )!;
  const facts = (h.components.dataLake.streams as { name: string; failed: number }[]).find(
    (s) => s.name === 'facts',
  )!;
  return {
    outbox: outbox.parked + outbox.deadLetters,
    bus: h.components.eventBus.deadLetters as number,
    factsFailed: facts.failed,
    lakeDir: h.components.dataLake.dir as string,
  };
};

const factRowsOf = async (lakeDir: string, eventId: string): Promise<Item[]> => {
  const dir = join(lakeDir, 'facts', 'fact_quote_line_price');
  const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const rows: Item[] = [];
  for (const file of files.filter((f) => f.endsWith('.json') && !f.includes('/.')))
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n'))
      if (line.includes(eventId)) rows.push(JSON.parse(line));
  return rows;
};

/**
 * Issue 18, item 4: an event PutEvents cannot hold (over 256 KB) goes on the bus as a claim check,
 * and its consumers read the whole event from its outbox item. The API's input limits (64 KB
 * bodies, 500 lines, compact event resources) keep every quote and order event below 256 KB
 * (the largest, a 500-line quote's price event, ≈ 135 KB), so the oversize event is planted: the
 * price event of a real 200-line quote, copied under a new quote id with its priced lines
 * repeated beyond 256 KB, written to the outbox as the aggregate store writes events.
 */
describe('an event over 256 KB', () => {
  let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
  let subscriptionId: string;
  beforeAll(async () => {
    await useStackTables();
    subscriber = await startSubscriber();
    const sub = await api.post(
      `${quotesPath}/hub`,
      { callback: subscriber.callback, query: 'eventType=QuoteAttributeValueChangeEvent' },
      partner,
    );
    expect(sub.status).toBe(201);
    subscriptionId = sub.body.id as string;
  });
  afterAll(async () => {
    await api.delete(`${quotesPath}/hub/${subscriptionId}`, partner);
    await subscriber.close();
  });

  it('is delivered as a claim check; hub, evidence and facts see the whole event; nothing is parked', async () => {
    const created = await api.post(
      '/quotes',
      quoteBody(Array.from({ length: lines }, () => fiberLine())),
      partner,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const realId = created.body.id as string;
    expect((await api.post(`/quotes/${realId}/price`, {}, partner)).status).toBe(200);
    const priceItem = await eventually(async () =>
      (await outboxOf(realId)).find((i) => {
        const e = outboxEnvelope<Item>(i);
        return e?.eventType === 'QuoteAttributeValueChangeEvent' && e.resource.price;
      }),
    );
    const before = await sinks();

    const id = `claim-${randomUUID()}`;
    const { packedEnvelope: _, ...keys } = priceItem;
    const envelope: Item = renamed(outboxEnvelope(priceItem)!, realId, id);
    envelope.eventId = randomUUID();
    const priced = envelope.resource.price.lines as Item[];
    for (let copy = 1; JSON.stringify(envelope).length < putEventsMaxBytes + 10_000; copy++)
      priced.push(...priced.slice(0, lines).map((l) => ({ ...l, lineId: `${l.lineId}-${copy}` })));
    expect(JSON.stringify(envelope).length).toBeGreaterThan(putEventsMaxBytes);
    // The aggregate first (header and pages), as the store's transaction leaves it, then its event.
    for (const item of await aggregateOf(realId)) await put(renamed(item, realId, id));
    const outboxItem = { ...renamed(keys, realId, id), ...packedEnvelope(envelope) };
    await put(outboxItem);

    // The bus carried a claim check within PutEvents' limit.
    const sent = await eventually(async () => {
      const r = await api.get(`/ops/events?orderId=${id}`, ops);
      return (r.body.events as { detail: Item }[]).find((e) => e.detail.eventId === envelope.eventId);
    });
    expect(sent.detail).toMatchObject({
      claimCheck: true,
      detailRef: { table: 'aggregates', pk: outboxItem.pk, sk: outboxItem.sk },
    });
    expect(putEventsEntrySize({ Detail: JSON.stringify(sent.detail) })).toBeLessThan(putEventsMaxBytes);

    // Hub: the channel's subscriber was notified with the whole quote.
    const heard = await eventually(async () =>
      subscriber.received.find((n) => n.eventId === envelope.eventId),
    );
    expect(heard.event.quote.id).toBe(id);
    expect(heard.event.quote.quoteItem).toHaveLength(lines);

    // Evidence: the price calculation of the quote was sealed.
    const audit = await eventually(async () => {
      const r = await api.get(`/audit/quotes/${id}`, ops);
      const calc = (r.body.evidence as Item[] | undefined)?.find(
        (e) => e.evidenceType === 'PRICE_CALCULATION',
      );
      return calc?.sealed ? calc : undefined;
    });
    expect(audit.sealed.matches).toBe(true);

    // Facts: one row per priced line of the whole event, none of which the claim check carries.
    const rows = await eventually(async () => {
      const found = await factRowsOf(before.lakeDir, envelope.eventId);
      return found.length >= priced.length ? found : undefined;
    });
    expect(rows).toHaveLength(priced.length);
    expect(rows.every((r) => r.quote_id === id)).toBe(true);

    const after = await sinks();
    expect(after.outbox).toBe(before.outbox);
    expect(after.bus).toBe(before.bus);
    expect(after.factsFailed).toBe(before.factsFailed);
  });
});
