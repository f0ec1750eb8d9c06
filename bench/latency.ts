/**
 * Orders at a fixed concurrency: ack (201 on the order) → completed (the fulfillment execution
 * succeeded), split into stages, and what one whole journey (quote create … order completed,
 * projector and publisher included) used, per order.
 */

import { type DynamoRequests, type DynamoTally, emptyTally } from '#local/dynamo-requests';
import { localStateMachineArn } from '#local/local-aws';
import type { LocalStack } from '#local/local-stack';
import type { Execution } from '#local/step-functions';
import { acceptedQuote, type Client, steps } from './journey.ts';
import type { instrumentStack } from './probes.ts';
import { median, percentile, round, runConcurrently } from './stats.ts';

type Dynamo = DynamoRequests;
type Probes = ReturnType<typeof instrumentStack>;

const executionArn = (orderId: string) =>
  `${localStateMachineArn('fulfillment').replace(':stateMachine:', ':execution:')}:order-${orderId}`;

/** The order's fulfillment execution once it has stopped; a failed one fails the bench. */
export const completion = async (
  stack: LocalStack,
  orderId: string,
  timeoutMs = 120_000,
): Promise<Execution> => {
  const deadline = Date.now() + timeoutMs;
  const arn = executionArn(orderId);
  for (;;) {
    const execution = stack.components.sfn.executions.get(arn);
    if (execution && execution.status !== 'RUNNING') {
      if (execution.status !== 'SUCCEEDED')
        throw new Error(`order ${orderId}: ${execution.status} ${execution.cause}`);
      return execution;
    }
    if (Date.now() > deadline) throw new Error(`order ${orderId} not completed in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

const copy = (t: DynamoTally): DynamoTally => ({
  ...t,
  byCommand: { ...t.byCommand },
  wruByFunction: { ...t.wruByFunction },
});
const minus = (a: DynamoTally, b: DynamoTally): DynamoTally => {
  const diff = emptyTally();
  diff.requests = a.requests - b.requests;
  diff.rru = a.rru - b.rru;
  diff.wru = a.wru - b.wru;
  for (const [k, v] of Object.entries(a.byCommand)) {
    const n = v - (b.byCommand[k] ?? 0);
    if (n) diff.byCommand[k] = n;
  }
  for (const [k, v] of Object.entries(a.wruByFunction)) {
    const n = v - (b.wruByFunction[k] ?? 0);
    if (n) diff.wruByFunction[k] = n;
  }
  return diff;
};

const summary = (values: number[]) => ({
  p50: Math.round(percentile(values, 50)),
  p95: Math.round(percentile(values, 95)),
  max: Math.round(Math.max(...values)),
});

export const latencyAt = async (
  stack: LocalStack,
  api: Client,
  dynamo: Dynamo,
  probes: Probes,
  concurrency: number,
  orders: number,
) => {
  await probes.quiescent();
  const dynamoBefore = copy(dynamo.global);
  const before = probes.snapshot();
  const apiBefore = api.requests();

  const quotes: Record<string, any>[] = [];
  await runConcurrently(orders, concurrency, async (i) => {
    quotes[i] = await acceptedQuote(api);
  });
  const samples: { total: number; toPublished: number; toStarted: number; workflow: number }[] = [];
  const started = performance.now();
  await runConcurrently(orders, concurrency, async (i) => {
    const reply = await api.expect(201, steps.order(quotes[i]!));
    const ack = Date.now();
    const id = reply.body.id as string;
    const execution = await completion(stack, id);
    const published = probes.published.get(`ProductOrderCreateEvent#${id}`) ?? Number.NaN;
    samples.push({
      total: execution.stopDate!.getTime() - ack,
      toPublished: published - ack,
      toStarted: execution.startDate.getTime() - published,
      workflow: execution.stopDate!.getTime() - execution.startDate.getTime(),
    });
  });
  const ordersPerSecond = orders / ((performance.now() - started) / 1000);
  await probes.quiescent();

  const window = probes.since(before);
  const used = minus(dynamo.global, dynamoBefore);
  const per = (n: number, digits = 2) => round(n / orders, digits);
  return {
    orders,
    ordersPerSecond: round(ordersPerSecond, 2),
    ackToCompletedMs: summary(samples.map((s) => s.total)),
    stagesMs: {
      'ack → ProductOrderCreateEvent on the bus (stream poll + outbox publisher)': summary(
        samples.map((s) => s.toPublished),
      ),
      'on the bus → execution started (rule + fulfillment-starter)': summary(samples.map((s) => s.toStarted)),
      'execution started → succeeded (workflow)': summary(samples.map((s) => s.workflow)),
    },
    handlerMeanMs: Object.fromEntries(
      Object.entries(window.byFunction).map(([name, f]) => [name, round(f.ms / f.count)]),
    ),
    /** Billed: own CPU plus modelled I/O (billed-duration.ts); the mean above is wall time. */
    handlerBilledMeanMs: Object.fromEntries(
      Object.entries(window.byFunction).map(([name, f]) => [name, round(f.billedMs / f.count)]),
    ),
    perOrder: {
      apiRequests: per(api.requests() - apiBefore),
      lambdaInvocations: per(window.invocations),
      lambdaInvocationsByFunction: Object.fromEntries(
        Object.entries(window.byFunction).map(([name, f]) => [name, per(f.count)]),
      ),
      lambdaGbSeconds: per(window.gbSeconds, 4),
      handlerLogBytes: per(window.emfBytes),
      standardExecutions: per(window.standardExecutions),
      standardTransitions: per(window.standardTransitions),
      expressRequests: per(window.expressExecutions),
      expressTransitions: per(window.expressTransitions),
      expressGbSeconds: per(window.expressGbSeconds, 4),
      eventBridgeEvents: per(window.eventsPut),
      dynamo: {
        requests: per(used.requests),
        wru: per(used.wru),
        rru: per(used.rru),
        byCommand: Object.fromEntries(Object.entries(used.byCommand).map(([k, v]) => [k, per(v)])),
        wruByFunction: Object.fromEntries(Object.entries(used.wruByFunction).map(([k, v]) => [k, per(v)])),
      },
    },
    medianMs: Math.round(median(samples.map((s) => s.total))),
  };
};
