import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { client, eventually, quotesPath } from '#test/api-client';
import { startSubscriber } from '#test/hub-subscriber';
import { tmfQuoteBody } from '#test/quote-flow';

const api = client();
const partnerA = { token: 'local-partner-a' };

/** A listener on the loopback address that counts every connection attempt that reaches it. */
const startTrap = async () => {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

describe('hub callbacks reach public HTTPS endpoints only', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  it('every forbidden form is refused at registration and never connected to', async () => {
    const trap = await startTrap();
    closers.push(trap.close);
    const p = trap.port;
    const forbidden = [
      `http://[::ffff:127.0.0.1]:${p}/`,
      `https://[::ffff:7f00:1]:${p}/`,
      `http://[::127.0.0.1]:${p}/`,
      `http://[::]:${p}/`,
      `http://0.0.0.0:${p}/`,
      `https://[64:ff9b::7f00:1]:${p}/`,
      `http://localhost:${p}/`,
      `http://foo.localhost:${p}/`,
      `https://[::1]:${p}/`,
      'https://[fec0::1]/',
      'https://[fd00::1]/',
      'https://100.64.0.1/',
      'https://198.18.0.1/',
      'https://224.0.0.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://metadata.google.internal/',
      'https://listener.example.com:8443/',
      'http://listener.example.com/',
    ];
    for (const callback of forbidden) {
      const reply = await api.post(`${quotesPath}/hub`, { callback }, partnerA);
      expect(reply.status, callback).toBe(400);
      expect(reply.body.code, callback).toBe('INVALID_SUBSCRIPTION');
    }

    // An allowed listener hears the channel's next event, so dispatch ran; the trap heard nothing.
    const allowed = await startSubscriber();
    closers.push(allowed.close);
    const sub = await api.post(`${quotesPath}/hub`, { callback: allowed.callback }, partnerA);
    expect(sub.status).toBe(201);
    const quote = await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerA);
    expect(quote.status).toBe(201);
    await eventually(async () =>
      allowed.received.some((n) => n.event?.quote?.id === quote.body.id) ? true : undefined,
    );
    expect(trap.connections()).toBe(0);
    await api.delete(`${quotesPath}/hub/${sub.body.id}`, partnerA);
  });
});
