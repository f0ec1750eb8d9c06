import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { client, eventually, ordersPath, type Reply } from './api-client.ts';
import { acceptedQuote, fiberLine } from './quote-flow.ts';
import { validateTmf622 } from './tmf622-schema.ts';

const api = client();
const ops = { token: 'local-ops' };

export type Quote = Record<string, any>;
export type FaultMode =
  | 'none'
  | 'timeout-after-accept'
  | 'lose-response'
  | 'error-5xx'
  | 'reject'
  | 'slow'
  | 'commit-late';
export type SideEffect = {
  ref: string;
  correlationId: string;
  orderId: string;
  taskId: string;
  action: string;
  status: string;
  receivedAt: string;
  committedAt: string;
  idempotencyKey?: string;
  payload: Record<string, any>;
};

export const repairPath = (orderId: string, taskId: string) =>
  `/ops/orders/${orderId}/tasks/${taskId}/repair`;

/** A TMF622 create request covering every line of the quote. */
export const orderBody = (quote: Quote, overrides: Record<string, unknown> = {}) => ({
  quote: [{ id: quote.id }],
  billingAccount: { id: `ba-${randomUUID().slice(0, 8)}` },
  externalId: `PO-${randomUUID().slice(0, 8)}`,
  productOrderItem: (quote.lines as { id: string }[]).map((line, i) => ({
    id: String(i + 1),
    action: 'add',
    quoteItem: { id: line.id },
  })),
  ...overrides,
});

export const expectTmf = (definition: 'ProductOrder' | 'CancelProductOrder' | 'Error', body: unknown) => {
  const result = validateTmf622(definition, body);
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
};

export const createOrder = async (
  quote: Quote,
  token = 'local-sales',
  opts: { key?: string; headers?: Record<string, string> } = {},
): Promise<Reply> => {
  const reply = await api.post(`${ordersPath}/productOrder`, orderBody(quote), { token, ...opts });
  if (reply.status !== 201) throw new Error(`create order ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
};

export const acceptedFiberQuote = (token = 'local-sales') => acceptedQuote(token, [fiberLine()]);

export const getOrder = (orderId: string, token = 'local-sales') =>
  api.get(`${ordersPath}/productOrder/${orderId}`, { token });

/** Polls the order until it reaches `state`; returns the TMF resource. */
export const orderInState = (orderId: string, state: string, token = 'local-sales') =>
  eventually(async () => {
    const r = await getOrder(orderId, token);
    return r.status === 200 && r.body.state === state ? r.body : undefined;
  }, 200);

export const setFault = async (
  system: 'provisioning' | 'billing',
  mode: FaultMode,
  count = 1,
  delayMs?: number,
  jitterMs?: number,
) => {
  const r = await api.put(
    `/sim/${system}/faults`,
    {
      mode,
      count,
      ...(delayMs === undefined ? {} : { delayMs }),
      ...(jitterMs === undefined ? {} : { jitterMs }),
    },
    ops,
  );
  if (r.status !== 200) throw new Error(`fault ${r.status} ${JSON.stringify(r.body)}`);
};

export const resetFaults = async () => {
  await setFault('provisioning', 'none', 0);
  await setFault('billing', 'none', 0);
};

export const activations = async (orderId: string): Promise<SideEffect[]> =>
  (await api.get(`/sim/provisioning/activations?orderId=${orderId}`, ops)).body.activations;

export const subscriptions = async (orderId: string): Promise<SideEffect[]> =>
  (await api.get(`/sim/billing/subscriptions?orderId=${orderId}`, ops)).body.subscriptions;

export const events = async (orderId: string): Promise<Record<string, any>[]> =>
  (await api.get(`/ops/events?orderId=${orderId}`, ops)).body.events;

export const executions = async (orderId: string): Promise<Record<string, any>[]> =>
  (await api.get(`/ops/local/executions?orderId=${orderId}`, ops)).body.executions;

/** Waits until no execution of the order is running any more. */
export const settled = (orderId: string) =>
  eventually(async () => {
    const list = await executions(orderId);
    return list.length > 0 && list.every((e) => e.status !== 'RUNNING') ? list : undefined;
  }, 200);

/** Side effects per downstream correlation id: each must be exactly one. */
export const countByCorrelation = (effects: SideEffect[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const e of effects) counts[e.correlationId] = (counts[e.correlationId] ?? 0) + 1;
  return counts;
};

export const expectEachOnce = (effects: SideEffect[]) => {
  for (const [correlationId, n] of Object.entries(countByCorrelation(effects))) {
    expect(n, `side effects for ${correlationId}`).toBe(1);
  }
};

/** The fallout the order was held with, from its state change events. */
export const heldFallout = async (orderId: string) =>
  eventually(async () => {
    const list = await events(orderId);
    const held = list
      .filter((e) => e['detail-type'] === 'ProductOrderStateChangeEvent')
      .map((e) => e.detail.resource)
      .filter((r) => r.state === 'held' && r.fallout);
    return held.at(-1)?.fallout as Record<string, any> | undefined;
  });

/** The task history as the order's events tell it. */
const finalStates = ['completed', 'held', 'cancelled'];

/**
 * Task changes as the bus saw them, once the order's final state change has been published:
 * the outbox of one order is published in order, so by then its whole history is there.
 */
export const taskHistory = async (orderId: string) => {
  const published = await eventually(async () => {
    const all = await events(orderId);
    const finished = all.some(
      (e) =>
        e['detail-type'] === 'ProductOrderStateChangeEvent' && finalStates.includes(e.detail.resource?.state),
    );
    return finished ? all : undefined;
  });
  return published
    .filter((e) => e['detail-type'] === 'FulfillmentTaskStateChangeEvent')
    .map(
      (e) => e.detail.resource as { taskId: string; state: string; lastErrorCode?: string; attempts: number },
    );
};
