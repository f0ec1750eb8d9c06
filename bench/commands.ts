/**
 * DynamoDB requests and consumed capacity of each command on its first call and on an
 * idempotent replay (same Idempotency-Key), counted on the handlers' own client for the
 * request's correlation id only (stream consumers and workflows running meanwhile excluded).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoRequests, DynamoTally } from '#local/dynamo-requests';
import { type Call, type Client, quoteBody, steps } from './journey.ts';
import { round } from './stats.ts';

type Dynamo = DynamoRequests;
const cancelPath = '/tmf-api/productOrderingManagement/v4/cancelProductOrder';

const shape = (t: DynamoTally) => ({
  requests: t.requests,
  wru: round(t.wru, 2),
  rru: round(t.rru, 2),
  commands: { ...t.byCommand },
});

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

  const order = await measure(steps.order(accepted.reply.body));
  results['POST productOrder'] = order.result;
  const orderId = order.reply.body.id as string;
  const cancel = await measure({
    method: 'POST',
    path: cancelPath,
    body: { productOrder: { id: orderId }, cancellationReason: 'bench' },
  });
  results['POST cancelProductOrder'] = cancel.result;
  await waitForOrders([]);
  return results;
};
