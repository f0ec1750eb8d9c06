/**
 * The load scenario as a channel would run it: many concurrent clients, each looping
 * quote → price → submit → accept → product order against a running stack, then a census of
 * what the downstream simulators really did. Plain fetch: used by the load test and `npm run load`.
 */
import { randomUUID } from 'node:crypto';

export type LoadOptions = { baseUrl: string; clients: number; durationMs: number };
export type LoadRun = { acknowledged: string[]; failedFlows: Record<string, number>; elapsedMs: number };

type SideEffect = { correlationId: string; orderId: string; taskId: string; idempotencyKey?: string };
type Json = Record<string, unknown>;
type Reply = { status: number; body: Json };
type BusEvent = { 'detail-type': string; detail: { resource: { state?: string; fallout?: Fallout } } };
type Fallout = { reasonCode: string; taskId?: string; detail?: Json };

const ordersPath = '/tmf-api/productOrderingManagement/v4';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One call; a throttle or a temporary refusal is retried with the same idempotency key. */
const call = async (
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  token: string,
  body?: unknown,
): Promise<Reply> => {
  const key = randomUUID();
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(method === 'POST' ? { 'Idempotency-Key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : {}) as Json;
    if ((res.status === 429 || res.status === 503) && attempt < 20) {
      await pause(Number(res.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    return { status: res.status, body: parsed };
  }
};

const expect = (step: string, r: Reply, status: number): Json => {
  if (r.status !== status) throw new Error(`${step}:${r.status}:${String(r.body.code ?? '')}`);
  return r.body;
};

/** quote → price → submit → accept → order; returns the acknowledged order id. */
const quoteToOrder = async (baseUrl: string, token: string): Promise<string> => {
  const quote = expect(
    'create-quote',
    await call(baseUrl, 'POST', '/quotes', token, {
      customer: { accountId: `acct-load-${randomUUID().slice(0, 8)}`, name: 'Load Co' },
      currency: 'USD',
      lines: [{ offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24, install: 'standard' } }],
    }),
    201,
  );
  for (const step of ['price', 'submit', 'accept']) {
    expect(step, await call(baseUrl, 'POST', `/quotes/${String(quote.id)}/${step}`, token, {}), 200);
  }
  const order = expect(
    'create-order',
    await call(baseUrl, 'POST', `${ordersPath}/productOrder`, token, {
      quote: [{ id: quote.id }],
      billingAccount: { id: `ba-${randomUUID().slice(0, 8)}` },
      productOrderItem: [
        { id: '1', action: 'add', quoteItem: { id: (quote.lines as { id: string }[])[0]!.id } },
      ],
    }),
    201,
  );
  return String(order.id);
};

export const runLoad = async (options: LoadOptions): Promise<LoadRun> => {
  const started = Date.now();
  const deadline = started + options.durationMs;
  const acknowledged: string[] = [];
  const failedFlows: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (Date.now() < deadline) {
        try {
          acknowledged.push(await quoteToOrder(options.baseUrl, 'local-sales'));
        } catch (error) {
          const reason = (error as Error).message;
          failedFlows[reason] = (failedFlows[reason] ?? 0) + 1;
          await pause(200);
        }
      }
    }),
  );
  return { acknowledged, failedFlows, elapsedMs: Date.now() - started };
};

export type FaultSetting = { mode: string; count: number; delayMs?: number; jitterMs?: number };

export const setFaults = async (baseUrl: string, fault: FaultSetting) => {
  for (const system of ['provisioning', 'billing']) {
    expect(`fault-${system}`, await call(baseUrl, 'PUT', `/sim/${system}/faults`, 'local-ops', fault), 200);
  }
};

const finalStates = new Set(['completed', 'held', 'cancelled', 'failed', 'rejected', 'partial']);

/** Polls every order until it reaches a final state or the deadline passes; returns states by id. */
export const awaitFinalStates = async (
  baseUrl: string,
  orderIds: string[],
  deadlineMs: number,
): Promise<Map<string, string>> => {
  const states = new Map<string, string>();
  const until = Date.now() + deadlineMs;
  let open = [...orderIds];
  while (open.length > 0 && Date.now() < until) {
    const still: string[] = [];
    for (let i = 0; i < open.length; i += 8) {
      await Promise.all(
        open.slice(i, i + 8).map(async (id) => {
          const r = await call(baseUrl, 'GET', `${ordersPath}/productOrder/${id}`, 'local-sales');
          states.set(id, typeof r.body.state === 'string' ? r.body.state : `http-${r.status}`);
          if (!finalStates.has(states.get(id)!)) still.push(id);
        }),
      );
    }
    open = still;
    if (open.length > 0) await pause(1000);
  }
  return states;
};

/** The fallout an order was held with, as its last held state change event tells it. */
const heldFallout = async (baseUrl: string, orderId: string): Promise<Fallout> => {
  const r = await call(baseUrl, 'GET', `/ops/events?orderId=${orderId}`, 'local-ops');
  const held = ((r.body.events ?? []) as BusEvent[])
    .filter((e) => e['detail-type'] === 'ProductOrderStateChangeEvent')
    .map((e) => e.detail.resource)
    .filter((o) => o.state === 'held' && o.fallout);
  return held.at(-1)?.fallout ?? { reasonCode: 'UNKNOWN' };
};

/** Reasons that claim the held task has no side effect downstream. */
const notDoneReasons = new Set(['RETRY_BUDGET_EXHAUSTED', 'DOWNSTREAM_REJECTED', 'BILLING_REJECTED']);

export type Census = {
  acknowledged: number;
  completed: number;
  heldByReason: Record<string, number>;
  notFinal: Record<string, number>;
  /** Provisioning tasks activated more than once (same correlation id, several records). */
  duplicateActivations: number;
  /** Orders with more than one billing subscription. */
  doubleBilling: number;
  /** Completed orders with a task the downstream has no record of. */
  completedWithoutEffect: number;
  /** Requests that reached a downstream without the task's correlation id as Idempotency-Key. */
  missingIdempotencyKey: number;
  /** Held with a reason that says "not done" while the downstream did the held task. */
  heldWithWrongReason: number;
  /** A few held orders' fallout, to see why. */
  heldSamples: (Fallout & { orderId: string })[];
};

const effectsOf = async (baseUrl: string, system: 'provisioning' | 'billing'): Promise<SideEffect[]> => {
  const list = system === 'provisioning' ? 'activations' : 'subscriptions';
  return (await call(baseUrl, 'GET', `/sim/${system}/${list}`, 'local-ops')).body[list] as SideEffect[];
};

const countBy = <T>(items: T[], key: (t: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

export const census = async (baseUrl: string, states: Map<string, string>): Promise<Census> => {
  const ours = (e: SideEffect) => states.has(e.orderId);
  const activations = (await effectsOf(baseUrl, 'provisioning')).filter(ours);
  const subscriptions = (await effectsOf(baseUrl, 'billing')).filter(ours);
  const heldByReason: Record<string, number> = {};
  const notFinal: Record<string, number> = {};
  let completed = 0;
  let heldWithWrongReason = 0;
  const heldSamples: Census['heldSamples'] = [];
  for (const [orderId, state] of states) {
    if (state === 'completed') completed++;
    else if (state === 'held') {
      const fallout = await heldFallout(baseUrl, orderId);
      heldByReason[fallout.reasonCode] = (heldByReason[fallout.reasonCode] ?? 0) + 1;
      if (heldSamples.length < 3) heldSamples.push({ orderId, ...fallout });
      const done = [...activations, ...subscriptions].some(
        (e) => e.orderId === orderId && e.taskId === fallout.taskId,
      );
      if (fallout.reasonCode === 'UNKNOWN' || (notDoneReasons.has(fallout.reasonCode) && done)) {
        heldWithWrongReason++;
      }
    } else notFinal[state] = (notFinal[state] ?? 0) + 1;
  }
  const activationsPerTask = countBy(activations, (e) => e.correlationId);
  const subscriptionsPerOrder = countBy(subscriptions, (e) => e.orderId);
  const effectsPerOrder = countBy([...activations, ...subscriptions], (e) => e.orderId);
  return {
    acknowledged: states.size,
    completed,
    heldByReason,
    notFinal,
    duplicateActivations: [...activationsPerTask.values()].filter((n) => n > 1).length,
    doubleBilling: [...subscriptionsPerOrder.values()].filter((n) => n > 1).length,
    // A fiber order is two provisioning tasks and one billing handoff.
    completedWithoutEffect: [...states].filter(
      ([id, state]) => state === 'completed' && (effectsPerOrder.get(id) ?? 0) < 3,
    ).length,
    missingIdempotencyKey: [...activations, ...subscriptions].filter(
      (e) => e.idempotencyKey !== e.correlationId,
    ).length,
    heldWithWrongReason,
    heldSamples,
  };
};
