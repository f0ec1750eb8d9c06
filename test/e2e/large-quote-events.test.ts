import { describe, expect, it } from 'vitest';
import { client, eventually } from '../support/api-client.ts';
import { health, injectFault } from '../support/faults.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const sales = { token: 'local-sales' };
const ops = { token: 'local-ops' };
const quotes = 5;
const lines = 200;

const ok = async (path: string) => {
  const r = await api.post(path, {}, sales);
  expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBe(200);
};
const outboxQueue = async () =>
  ((await health()).components.queues as { name: string; parked: number; deadLetters: number }[]).find(
    (q) => q.name === 'outbox-parked',
  )!;

/**
 * Issue 18, finding 2: a 200-line quote's price and accept events are ≈ 55 KB each; five of them
 * in one PutEvents request exceed EventBridge's 256 KB and the whole request is refused. The
 * publisher sends requests within both limits, so every event is delivered and its consumers
 * see the whole quote.
 */
describe('events of large quotes', () => {
  it('delivers the price and accept events of five 200-line quotes that reach the publisher in one batch', async () => {
    const before = { queue: await outboxQueue(), bus: (await health()).components.eventBus.deadLetters };
    // The stream is held while the quotes are priced and accepted, one after another, so the
    // publisher gets all their events in one batch, as after any pause of its consumer.
    await injectFault('streams', { paused: true });
    const ids: string[] = [];
    try {
      for (let i = 0; i < quotes; i++) {
        const r = await api.post(
          '/quotes',
          quoteBody(Array.from({ length: lines }, () => fiberLine())),
          sales,
        );
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        ids.push(r.body.id as string);
        for (const step of ['price', 'submit', 'accept']) await ok(`/quotes/${r.body.id}/${step}`);
      }
    } finally {
      await injectFault('streams', { paused: false });
    }

    for (const id of ids) {
      const events = await eventually(async () => {
        const r = await api.get(`/ops/events?orderId=${id}`, ops);
        const list = r.body.events as { 'detail-type': string; detail: Record<string, any> }[];
        return list.some((e) => e['detail-type'] === 'QuoteAcceptedEvent') ? list : undefined;
      });
      const priced = events.find(
        (e) => e['detail-type'] === 'QuoteAttributeValueChangeEvent' && e.detail.resource.price,
      )!;
      expect(priced.detail.resource.price.lines).toHaveLength(lines);
      expect(JSON.stringify(priced.detail).length).toBeGreaterThan(40_000);
      // The evidence writer, a consumer of both events, sealed the calculation and the accepted package.
      const audit = await eventually(async () => {
        const r = await api.get(`/audit/quotes/${id}`, ops);
        const sealed = (r.body.evidence as { evidenceType: string; sealed: unknown }[]).filter(
          (e) => e.sealed,
        );
        return sealed.some((e) => e.evidenceType === 'ACCEPTED_QUOTE_PACKAGE') ? r.body : undefined;
      });
      for (const type of ['PRICE_CALCULATION', 'ACCEPTED_QUOTE_PACKAGE'])
        expect(audit.evidence.find((e: any) => e.evidenceType === type).sealed.matches).toBe(true);
    }
    // None parked by the outbox consumer, none dead-lettered on the bus.
    const after = { queue: await outboxQueue(), bus: (await health()).components.eventBus.deadLetters };
    expect(after.queue.parked + after.queue.deadLetters).toBe(before.queue.parked + before.queue.deadLetters);
    expect(after.bus).toBe(before.bus);
  });
});
