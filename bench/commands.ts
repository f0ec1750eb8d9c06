/**
 * DynamoDB requests and consumed capacity of each command on its first call and on an
 * idempotent replay (same Idempotency-Key), counted on the handlers' own client for the
 * request's correlation id only (stream consumers and workflows running meanwhile excluded).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoRequests, DynamoTally } from '#local/dynamo-requests';
import { tmfQuoteBody } from '../test/support/request-bodies.ts';
import { acceptedQuote, type Call, type Client, ordersPath, quoteBody, steps } from './journey.ts';
import { round } from './stats.ts';

type Dynamo = DynamoRequests;
const cancelPath = '/tmf-api/productOrderingManagement/v4/cancelProductOrder';
const quotesPath = '/tmf-api/quoteManagement/v4';

const shape = (t: DynamoTally) => ({
  requests: t.requests,
  wru: round(t.wru, 2),
  rru: round(t.rru, 2),
  commands: { ...t.byCommand },
});

const simulatorFault = (api: Client, system: 'provisioning' | 'billing', fault: Record<string, unknown>) =>
  api.expect(200, { method: 'PUT', path: `/sim/${system}/faults`, token: 'local-ops', body: fault });

/** Polls the order and its running executions until `done` says so (or a minute passed). */
const until = async (
  api: Client,
  orderId: string,
  done: (order: { state?: string }, running: number) => boolean,
) => {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const order = await api.send({ method: 'GET', path: `${ordersPath}/${orderId}` });
    const executions = await api.send({
      method: 'GET',
      path: `/ops/local/executions?orderId=${orderId}`,
      token: 'local-ops',
    });
    const running = (executions.body.executions as { status: string }[]).filter(
      (e) => e.status === 'RUNNING',
    ).length;
    if (done(order.body, running)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`order ${orderId} did not reach the awaited state`);
};

export const commandCosts = async (
  api: Client,
  dynamo: Dynamo,
  probes: { quiescent: () => Promise<void> },
  waitForOrders: (ids: string[]) => Promise<void>,
) => {
  const measure = async (call: Call, replay = true) => {
    const key = randomUUID();
    const first = `bench-first-${randomUUID()}`;
    const firstTally = dynamo.watch(first);
    const reply = await api.send({ ...call, key, correlationId: first });
    if (!replay) return { reply, result: { status: reply.status, firstCall: shape(firstTally) } };
    const again = `bench-replay-${randomUUID()}`;
    const replayTally = dynamo.watch(again);
    const replayed = await api.send({ ...call, key, correlationId: again });
    return {
      reply,
      result: {
        status: reply.status,
        firstCall: shape(firstTally),
        replay: { ...shape(replayTally), replayed: replayed.headers.get('idempotent-replayed') === 'true' },
      },
    };
  };
  await probes.quiescent();
  const results: Record<string, unknown> = {};

  const created = await measure(steps.create());
  results['POST /quotes'] = created.result;
  const q = created.reply.body as { id: string };
  const patched = await measure(
    {
      method: 'PATCH',
      path: `/quotes/${q.id}`,
      body: { lines: quoteBody().lines.map((line) => ({ ...line, quantity: 2 })) },
      headers: { 'If-Match': created.reply.headers.get('etag') ?? '' },
    },
    false,
  );
  results['PATCH /quotes/{id} (If-Match, no Idempotency-Key)'] = patched.result;
  results['POST /quotes/{id}/price'] = (await measure(steps.price(q))).result;
  results['POST /quotes/{id}/submit'] = (await measure(steps.submit(q))).result;
  const accepted = await measure(steps.accept(q));
  results['POST /quotes/{id}/accept'] = accepted.result;

  const discounted = await api.expect(201, { method: 'POST', path: '/quotes', body: quoteBody(25) });
  const d = discounted.body as { id: string };
  await api.expect(200, steps.price(d));
  await api.expect(200, steps.submit(d));
  results['POST /quotes/{id}/approvals'] = (
    await measure({
      method: 'POST',
      path: `/quotes/${d.id}/approvals`,
      body: { decision: 'APPROVE', comment: 'bench' },
      token: 'local-approver',
    })
  ).result;

  const tmfQuote = await measure({
    method: 'POST',
    path: `${quotesPath}/quote`,
    token: 'local-partner-a',
    body: tmfQuoteBody(),
  });
  results['POST TMF648 quote'] = tmfQuote.result;
  results['PATCH TMF648 quote (state pending)'] = (
    await measure(
      {
        method: 'PATCH',
        path: `${quotesPath}/quote/${tmfQuote.reply.body.id}`,
        token: 'local-partner-a',
        body: { state: 'pending' },
      },
      false,
    )
  ).result;

  // Provisioning answers slowly once: the order stays before the point of no return (PATCH, cancel).
  await simulatorFault(api, 'provisioning', { mode: 'slow', count: 1, delayMs: 3000 });
  const order = await measure(steps.order(accepted.reply.body));
  results['POST productOrder'] = order.result;
  const orderId = order.reply.body.id as string;
  results['PATCH productOrder (no If-Match)'] = (
    await measure(
      { method: 'PATCH', path: `${ordersPath}/${orderId}`, body: { description: 'bench' } },
      false,
    )
  ).result;
  const cancel = await measure({
    method: 'POST',
    path: cancelPath,
    body: { productOrder: { id: orderId }, cancellationReason: 'bench' },
  });
  results['POST cancelProductOrder'] = cancel.result;
  await waitForOrders([]);

  // Billing refuses once: the order is held on BILLING_HANDOFF and ops repairs it.
  await simulatorFault(api, 'billing', { mode: 'reject', count: 1 });
  const held = (await api.expect(201, steps.order(await acceptedQuote(api)))).body.id as string;
  await until(api, held, (o, running) => o.state === 'held' && running === 0);
  results['POST repair (RETRY)'] = (
    await measure({
      method: 'POST',
      path: `/ops/orders/${held}/tasks/BILLING_HANDOFF/repair`,
      token: 'local-ops',
      body: { action: 'RETRY', reasonCode: 'BENCH' },
    })
  ).result;
  await until(api, held, (o) => o.state === 'completed');
  await waitForOrders([]);
  return results;
};
