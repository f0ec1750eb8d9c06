import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { startSubscriber } from '../support/hub-subscriber.ts';
import { type StackProcess, startStackProcess } from '../support/local-stack-process.ts';
import { orderBody } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine } from '../support/quote-flow.ts';

// Downstream time is compressed 100,000-fold (a day ≈ 0.86 s): stack-wide, so this file runs its own stack.
let stack: StackProcess;
let api: ReturnType<typeof client>;
const ops = { token: 'local-ops' };
const sales = { token: 'local-sales' };
const day = 86_400;
type Task = {
  taskId: string;
  type: string;
  state: string;
  correlationId: string;
  evidence?: Record<string, unknown>;
};

beforeAll(async () => {
  stack = await startStackProcess(['--time-scale', '0.02', '--downstream-time-scale', '0.00001']);
  api = client(stack.url);
  // The release says how long fiber access takes (days): expected 4, hard limit 6, heartbeat half a day.
  const catalog = (await api.get('/catalog', ops)).body;
  const release = {
    ...catalog,
    catalogVersion: 'cat-long-running',
    priceBookVersion: 'pb-long-running',
    effectiveFrom: new Date().toISOString(),
    taskTimers: {
      ...catalog.taskTimers,
      ACCESS_PROVISION: { expectedSeconds: 4 * day, heartbeatSeconds: day / 2, hardLimitSeconds: 6 * day },
    },
  };
  expect((await api.post('/ops/catalog-releases', release, ops)).status).toBe(201);
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

const fiberOrder = async (fault: Record<string, unknown>) => {
  expect(
    (await api.put('/sim/provisioning/faults', { mode: 'long-running', count: 1, ...fault }, ops)).status,
  ).toBe(200);
  const quote = await acceptedQuote('local-sales', [fiberLine()], undefined, stack.url);
  const created = await api.post(`${ordersPath}/productOrder`, orderBody(quote), sales);
  expect(created.status).toBe(201);
  return created.body.id as string;
};
const order = async (id: string) => (await api.get(`${ordersPath}/productOrder/${id}`, sales)).body;
const inState = (id: string, state: string) =>
  eventually(async () => ((await order(id)).state === state ? order(id) : undefined), 300, 200);
const events = async (id: string, detailType?: string) =>
  (await api.get(`/ops/events?orderId=${id}${detailType ? `&detailType=${detailType}` : ''}`, ops)).body
    .events as { 'detail-type': string; detail: { resource: Record<string, any> } }[];
const taskChanges = async (id: string) =>
  (await events(id, 'FulfillmentTaskStateChangeEvent')).map(
    (e) => e.detail.resource as Task & Record<string, any>,
  );
const notice = (
  orderId: string,
  taskId: string,
  body: Record<string, unknown>,
  token = 'local-provisioning',
) => api.post(`/callbacks/orders/${orderId}/tasks/${taskId}`, body, { token });

describe('long-running downstream work', () => {
  it('a fiber task that takes days completes through its callback without being held; a duplicated or unknown callback changes nothing', async () => {
    const id = await fiberOrder({ durationSeconds: 2 * day, progressEverySeconds: day / 2 });
    const completed = await inState(id, 'completed');
    expect(completed.state).toBe('completed');
    const changes = await taskChanges(id);
    const fiber = changes.filter((t) => t.type === 'ACCESS_PROVISION');
    const done = fiber.find((t) => t.state === 'DONE')!;
    expect(done.evidence).toMatchObject({ source: 'callback', completedBy: 'provisioning' });
    expect(fiber.some((t) => t.wait?.downstreamRef === done.evidence?.downstreamRef)).toBe(true);
    expect(Math.max(...fiber.map((t) => t.progress?.count ?? 0))).toBeGreaterThanOrEqual(1);
    // Waiting is not doubt: never an unknown outcome, never held.
    expect(fiber.some((t) => t.state === 'UNKNOWN')).toBe(false);
    expect(
      (await events(id, 'ProductOrderStateChangeEvent')).map((e) => e.detail.resource.state),
    ).not.toContain('held');

    const again = {
      correlationId: done.correlationId,
      status: 'COMPLETED',
      reference: done.evidence?.downstreamRef,
    };
    const dup = await notice(id, done.taskId, again);
    expect(dup.status).toBe(200);
    expect(dup.body).toMatchObject({ result: 'DUPLICATE', task: { state: 'DONE' } });
    const late = await notice(id, done.taskId, { ...again, status: 'PROGRESS', sequence: 99 });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'TASK_FINISHED' });
    const unknown = await notice(id, done.taskId, { ...again, correlationId: 'ful-not-ours' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_TASK' });
    const noOrder = await notice('po-missing', done.taskId, again);
    expect(noOrder.body).toMatchObject({ code: 'UNKNOWN_TASK' });
    // Another downstream cannot speak for provisioning's task; partners cannot call back at all.
    expect((await notice(id, done.taskId, again, 'local-billing')).status).toBe(403);
    expect((await notice(id, done.taskId, again, 'local-sales')).status).toBe(403);
    // Nothing changed: same task history, the order still completed.
    expect(await taskChanges(id)).toHaveLength(changes.length);
    expect((await order(id)).state).toBe('completed');
  });

  it('a silent downstream is queried and raised in jeopardy (atRisk, then breached, to hub subscribers), and falls out as stalled — never an unknown outcome', async () => {
    const subscriber = await startSubscriber();
    const sub = await api.post(
      `${ordersPath}/hub`,
      { callback: subscriber.callback, query: 'eventType=ProductOrderJeopardyEvent' },
      sales,
    );
    expect(sub.status).toBe(201);
    const id = await fiberOrder({ outcome: 'stall' });
    const held = await inState(id, 'held');
    const alerts = held.jeopardyAlert as { jeopardyType: string; owner: string; nextAction: string }[];
    expect(alerts.map((a) => a.jeopardyType)).toEqual(['atRisk', 'breached']);
    expect(alerts[1]).toMatchObject({ owner: 'network-ops', nextAction: expect.stringContaining('prov-') });
    const jeopardy = await eventually(async () => {
      const e = await events(id, 'ProductOrderJeopardyEvent');
      return e.length === 2 ? e : undefined;
    });
    expect(jeopardy.map((e) => e.detail.resource.jeopardyAlert.jeopardyType)).toEqual(['atRisk', 'breached']);
    // The channel's hub subscriber hears both, each with the order and its alerts.
    const heard = await eventually(async () => {
      const mine = subscriber.received.filter((n) => n.event?.productOrder?.id === id);
      return mine.length >= 2 ? mine : undefined;
    });
    expect(heard.every((n) => n.eventType === 'ProductOrderJeopardyEvent')).toBe(true);
    expect(heard.at(-1)?.event.productOrder.jeopardyAlert.length).toBeGreaterThanOrEqual(1);
    await api.delete(`${ordersPath}/hub/${sub.body.id}`, sales);
    await subscriber.close();
    const fiber = (await taskChanges(id)).filter((t) => t.type === 'ACCESS_PROVISION');
    // Queried while silent: each "still running" answer is heard on the task.
    expect(new Set(fiber.map((t) => t.wait?.lastHeardAt).filter(Boolean)).size).toBeGreaterThan(1);
    expect(fiber.some((t) => t.state === 'UNKNOWN')).toBe(false);
    const fallout = (await api.get(`/views/fallout`, ops)).body.items?.find(
      (i: { orderId: string }) => i.orderId === id,
    );
    const reason =
      fallout?.reasonCode ??
      (await events(id, 'ProductOrderStateChangeEvent')).at(-1)?.detail.resource.fallout?.reasonCode;
    expect(reason).toBe('DOWNSTREAM_STALLED');
  });

  // Last in this file: it publishes a release with longer fiber timers (the parent's timer waits grow).
  it('a completion notice wakes the waiting workflow at once: the event of the notice starts a run that moves the order on to completed', async () => {
    const catalog = (await api.get('/catalog', ops)).body;
    const release = {
      ...catalog,
      catalogVersion: 'cat-long-running-wake',
      priceBookVersion: 'pb-long-running-wake',
      effectiveFrom: new Date().toISOString(),
      taskTimers: {
        ...catalog.taskTimers,
        ACCESS_PROVISION: {
          expectedSeconds: 20 * day,
          heartbeatSeconds: 10 * day,
          hardLimitSeconds: 23 * day,
        },
      },
    };
    expect((await api.post('/ops/catalog-releases', release, ops)).status).toBe(201);
    // The downstream accepts and never calls back by itself: only our notice completes the task.
    const id = await fiberOrder({ outcome: 'stall' });
    const waiting = await eventually(async () =>
      (await taskChanges(id)).find((t) => t.type === 'ACCESS_PROVISION' && t.wait?.downstreamRef),
    );
    const sent = await notice(id, waiting.taskId, {
      correlationId: waiting.correlationId,
      status: 'COMPLETED',
      reference: waiting.wait.downstreamRef,
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ result: 'APPLIED', task: { state: 'DONE' } });
    expect((await inState(id, 'completed')).state).toBe('completed');

    const done = (await events(id, 'FulfillmentTaskStateChangeEvent')).find(
      (e) => e.detail.resource.taskId === waiting.taskId && e.detail.resource.state === 'DONE',
    ) as { detail: { eventId: string; resource: Record<string, any> } } | undefined;
    expect(done?.detail.resource.evidence).toMatchObject({ source: 'callback' });
    // The run the notice started: named after the notice's event (a redelivery starts no other),
    // it ran the order's next steps and ended.
    const woken = await eventually(async () => {
      const list = (await api.get(`/ops/local/executions?orderId=${id}`, ops)).body.executions as {
        name: string;
        status: string;
      }[];
      const run = list.find((e) => e.name === `${id}-${done?.detail.eventId}`);
      return run && run.status !== 'RUNNING' ? run : undefined;
    });
    expect(woken.status).toBe('SUCCEEDED');
  });
});
