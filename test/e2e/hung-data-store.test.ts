import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultFunctionTimeoutSeconds,
  sdkRequestTimeoutEnv,
  sdkRequestTimeoutMs,
} from '#plumbing/sdk-timeouts';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { type StackProcess, stackStartTimeoutMs, startStackProcess } from '../support/local-stack-process.ts';
import { orderBody } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, quoteBody } from '../support/quote-flow.ts';

/**
 * Finding 8 of issue 18: DynamoDB hangs (DynamoDB Local frozen with SIGSTOP, as a stalled
 * dependency looks from the client: the connection stays open, no byte comes back). Every command
 * answers 503 + Retry-After while its function still has time, writes nothing, and the same
 * Idempotency-Key succeeds once the store answers again.
 */
let stack: StackProcess;
let api: ReturnType<typeof client>;
let dynamoPid: number;
const sales = { token: 'local-sales' };

beforeAll(async () => {
  // The commands' functions have the default timeout: their SDK clients the timeouts CDK gives them.
  stack = await startStackProcess(
    ['--time-scale', '0.02', '--schedule-interval-ms', '3600000'],
    stackStartTimeoutMs,
    {
      env: { [sdkRequestTimeoutEnv]: String(sdkRequestTimeoutMs(defaultFunctionTimeoutSeconds)) },
    },
  );
  api = client(stack.url);
  dynamoPid = (await api.get('/health', { token: 'local-ops' })).body.components.dynamodb.pid as number;
});
afterAll(async () => {
  if (dynamoPid) process.kill(dynamoPid, 'SIGCONT');
  await stack?.stop();
});

type Command = { name: string; path: string; body: unknown; key: string; ok: number[] };

/** POST with a functional bound: no answer within 5 s is no answer. */
const post = async (command: Command) => {
  const res = await fetch(`${stack.url}${command.path}`, {
    method: 'POST',
    headers: {
      Authorization: 'Bearer local-sales',
      'Content-Type': 'application/json',
      'Idempotency-Key': command.key,
    },
    body: JSON.stringify(command.body),
    signal: AbortSignal.timeout(5_000),
  }).catch((error: Error) => {
    throw new Error(`${command.name}: no answer within 5 s (${error.name})`);
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('Retry-After'),
    body: (await res.json()) as Record<string, any>,
  };
};

const created = async (path: string, body: unknown) => {
  const r = await api.post(path, body, sales);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
const quoteIn = async (steps: string[]) => {
  const quote = await created('/quotes', quoteBody([fiberLine()]));
  for (const step of steps)
    expect((await api.post(`/quotes/${quote.id}/${step}`, {}, sales)).status).toBe(200);
  return quote.id as string;
};

describe('a hung data store', () => {
  it('answers every command 503 with Retry-After, writes nothing, and the same key succeeds after', async () => {
    // Each command's aggregate in the state the command starts from.
    const toPrice = await quoteIn([]);
    const toSubmit = await quoteIn(['price']);
    const toAccept = await quoteIn(['price', 'submit']);
    const toOrder = await acceptedQuote('local-sales', [fiberLine()], undefined, stack.url);
    // The order stays before its point of no return: its first activation is slow.
    const slow = await api.put(
      '/sim/provisioning/faults',
      { mode: 'slow', count: 5, delayMs: 60_000 },
      { token: 'local-ops' },
    );
    expect(slow.status).toBe(200);
    const toCancel = await created(
      `${ordersPath}/productOrder`,
      orderBody(await acceptedQuote('local-sales', [fiberLine()], undefined, stack.url)),
    );
    const commands: Command[] = [
      { name: 'create quote', path: '/quotes', body: quoteBody([fiberLine()]), ok: [201] },
      { name: 'price', path: `/quotes/${toPrice}/price`, body: {}, ok: [200] },
      { name: 'submit', path: `/quotes/${toSubmit}/submit`, body: {}, ok: [200] },
      { name: 'accept', path: `/quotes/${toAccept}/accept`, body: {}, ok: [200] },
      { name: 'create order', path: `${ordersPath}/productOrder`, body: orderBody(toOrder), ok: [201] },
      {
        name: 'cancel order',
        path: `${ordersPath}/cancelProductOrder`,
        body: { productOrder: { id: toCancel.id }, cancellationReason: 'customer withdrew' },
        ok: [201],
      },
    ].map((c) => ({ ...c, key: randomUUID() }));
    const before = await Promise.all(
      [toPrice, toSubmit, toAccept].map((id) => api.get(`/quotes/${id}`, sales)),
    );

    process.kill(dynamoPid, 'SIGSTOP');
    const frozenAt = Date.now();
    let during: Awaited<ReturnType<typeof post>>[];
    try {
      during = await Promise.all(commands.map(post));
      // The store stays frozen 8 s in all, as in the finding.
      await new Promise((r) => setTimeout(r, Math.max(0, frozenAt + 8_000 - Date.now())));
    } finally {
      process.kill(dynamoPid, 'SIGCONT');
    }
    for (const [i, reply] of during.entries()) {
      expect({ command: commands[i]!.name, status: reply.status, code: reply.body.code }).toEqual({
        command: commands[i]!.name,
        status: 503,
        code: expect.any(String),
      });
      expect(Number(reply.retryAfter)).toBeGreaterThan(0);
    }

    // Nothing half-written: each aggregate is as it was, version included.
    const after = await Promise.all(
      [toPrice, toSubmit, toAccept].map((id) => api.get(`/quotes/${id}`, sales)),
    );
    expect(after.map((r) => [r.body.state, r.body.version])).toEqual(
      before.map((r) => [r.body.state, r.body.version]),
    );
    const order = await api.get(`${ordersPath}/productOrder/${toCancel.id}`, sales);
    expect(order.body.state).not.toBe('cancelled');
    expect(order.body.cancellation ?? undefined).toBeUndefined();

    // The same keys succeed once the store answers (a record the frozen store took late is
    // released when its in-progress window ends).
    for (const command of commands) {
      const reply = await eventually(async () => {
        const r = await post(command);
        return command.ok.includes(r.status) ? r : undefined;
      });
      expect(reply.status).toBe(command.ok[0]);
    }
  });
});
