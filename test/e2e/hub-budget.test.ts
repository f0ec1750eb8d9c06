import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { client, eventually, quotesPath } from '#test/api-client';
import { tmfQuoteBody } from '#test/quote-flow';
import { api as apiSpec } from '#topology';

const api = client();
const partnerB = { token: 'local-partner-b' };
const ops = { token: 'local-ops' };

/** A callback that accepts connections and never answers: a dead subscriber. */
const startDeadListener = async () => {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    callback: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dead`,
    connections: () => connections,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
};

const inFlight = async (): Promise<Record<string, number>> =>
  (await api.get('/ops/local/in-flight', ops)).body;

describe('notification work is bounded per channel and isolated from the API', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  it('dead subscriptions hold no API capacity, back off after a failed event and show it to ops', async () => {
    const dead = await startDeadListener();
    closers.push(dead.close);
    // One event per quote: its creation.
    const query = 'eventType=QuoteCreateEvent';
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const sub = await api.post(`${quotesPath}/hub`, { callback: dead.callback, query }, partnerB);
      expect(sub.status).toBe(201);
      ids.push(sub.body.id);
    }
    // The channel's budget: no more subscriptions on this API.
    const extra = await api.post(`${quotesPath}/hub`, { callback: dead.callback, query }, partnerB);
    expect(extra.status).toBe(422);
    expect(extra.body.code).toBe('SUBSCRIPTION_LIMIT');

    const created = await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerB);
    expect(created.status).toBe(201);
    // While the dispatcher holds connections to the dead listener, no API handler is running:
    // the request answered and left the notification work to the dispatcher, within its reservation.
    await eventually(async () => (dead.open() > 0 ? true : undefined));
    const running = await inFlight();
    expect(running['hub-dispatcher'] ?? 0).toBeGreaterThan(0);
    expect(running['hub-dispatcher']).toBeLessThanOrEqual(5);
    const apiFunctions = new Set<string>(apiSpec.routes.map((r) => r.function));
    expect(Object.keys(running).filter((name) => apiFunctions.has(name))).toEqual([]);
    expect((await api.get(`${quotesPath}/quote/${created.body.id}`, partnerB)).status).toBe(200);

    // After the event's bounded attempts each subscription backs off; ops see it.
    const healths = await eventually(async () => {
      const all = await Promise.all(
        ids.map((id) => api.get(`/ops/hub-deliveries?subscriptionId=${id}`, ops)),
      );
      return all.every((r) => r.body.health?.consecutiveFailures === 1) ? all.map((r) => r.body) : undefined;
    });
    expect(healths[0]!.health.backoffUntil).toEqual(expect.any(String));
    expect(healths[0]!.items.filter((d: any) => d.outcome === 'DEAD_LETTER')).toHaveLength(1);
    const spent = dead.connections();
    expect(spent).toBeLessThanOrEqual(10 * 3);

    // The next event while they back off is skipped: logged, never connected for.
    const next = await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerB);
    expect(next.status).toBe(201);
    await eventually(async () => {
      const log = await api.get(`/ops/hub-deliveries?subscriptionId=${ids[0]}`, ops);
      return log.body.items.some((d: any) => d.outcome === 'SKIPPED') ? true : undefined;
    });
    expect(dead.connections()).toBe(spent);
    for (const id of ids) await api.delete(`${quotesPath}/hub/${id}`, partnerB);
  });
});
