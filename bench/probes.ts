/**
 * What the bench counts inside the in-process local stack: Lambda invocations and their
 * duration, events put on the bus, and Step Functions state transitions. DynamoDB requests and
 * consumed capacity are counted by the stack itself (`#local/dynamo-requests`).
 */
import type { LocalStack } from '#local/local-stack';
import { type FunctionName, functions } from '#topology';
import { billedDurationMeter, billedMs } from './billed-duration.ts';

/** `ms`: wall time locally (load-dependent); `billedMs`: CPU plus modelled I/O (billed-duration.ts). */
export type Invocation = { function: FunctionName; ms: number; billedMs: number };

const gbSecondsOf = (name: FunctionName, ms: number) =>
  (Math.ceil(ms) / 1000) * (((functions[name] as { memoryMb?: number }).memoryMb ?? 512) / 1024);

/** Wraps the local Lambda runtime, the bus and Step Functions to record what AWS would bill. */
export const instrumentStack = (stack: LocalStack) => {
  const { runtime, bus } = stack.components;
  const invocations: Invocation[] = [];
  const meter = billedDurationMeter();
  const invoke = runtime.invoke.bind(runtime);
  runtime.invoke = (async (name: FunctionName, event: unknown, invokedBy?: unknown) => {
    const started = performance.now();
    const { result, error, account } = await meter.run(() =>
      invoke(name, event, invokedBy as Parameters<typeof invoke>[2]),
    );
    invocations.push({ function: name, ms: performance.now() - started, billedMs: billedMs(account) });
    if (error !== undefined) throw error;
    return result;
  }) as typeof runtime.invoke;
  /** Bytes of the EMF documents the handlers wrote (CloudWatch Logs ingests them). */
  let emfBytes = 0;
  const sink = stack.components.metrics as unknown as { recordEmf: (line: string) => void };
  const recordEmf = sink.recordEmf.bind(sink);
  sink.recordEmf = (line) => {
    emfBytes += Buffer.byteLength(line, 'utf8') + 1;
    recordEmf(line);
  };

  /** When each order's events reached the bus, by `<detail-type>#<aggregateId>`. */
  const published = new Map<string, number>();
  let eventsPut = 0;
  const putEvents = bus.putEvents.bind(bus);
  bus.putEvents = (entries) => {
    const result = putEvents(entries);
    if (result !== 'refused') {
      eventsPut += entries.length - (result.FailedEntryCount ?? 0);
      const now = Date.now();
      for (const e of entries) {
        const detail = JSON.parse(e.Detail ?? '{}') as { aggregateId?: string };
        const key = `${e.DetailType}#${detail.aggregateId}`;
        if (!published.has(key)) published.set(key, now);
      }
    }
    return result;
  };

  const snapshot = () => ({
    invocations: invocations.length,
    emfBytes,
    eventsPut,
    executions: stack.components.sfn.executions.size,
  });
  return {
    published,
    snapshot,
    /** What happened since `from` (a snapshot): invocations by function, GB-s, events, transitions. */
    since: (from: ReturnType<typeof snapshot>) => {
      const window = invocations.slice(from.invocations);
      const byFunction: Record<string, { count: number; ms: number; billedMs: number }> = {};
      let gbSeconds = 0;
      let wallGbSeconds = 0;
      for (const i of window) {
        const f = byFunction[i.function] ?? { count: 0, ms: 0, billedMs: 0 };
        byFunction[i.function] = { count: f.count + 1, ms: f.ms + i.ms, billedMs: f.billedMs + i.billedMs };
        gbSeconds += gbSecondsOf(i.function, i.billedMs);
        wallGbSeconds += gbSecondsOf(i.function, i.ms);
      }
      const executions = [...stack.components.sfn.executions.values()].slice(from.executions);
      const standard = executions.filter((e) => e.type === 'STANDARD');
      const express = executions.filter((e) => e.type === 'EXPRESS');
      return {
        invocations: window.length,
        byFunction,
        /** Billed GB-s: CPU plus modelled I/O per invocation (billed-duration.ts), load-independent. */
        gbSeconds,
        /** GB-s of local wall time, for comparison: grows with the machine's load. */
        wallGbSeconds,
        emfBytes: emfBytes - from.emfBytes,
        eventsPut: eventsPut - from.eventsPut,
        standardExecutions: standard.length,
        standardTransitions: standard.reduce((sum, e) => sum + e.stateTransitions, 0),
        expressExecutions: express.length,
        expressTransitions: express.reduce((sum, e) => sum + e.stateTransitions, 0),
        // Express bills duration in 64 MB steps of the memory it uses: its minimum, 64 MB.
        expressGbSeconds: express.reduce(
          (sum, e) =>
            sum +
            (Math.ceil((e.stopDate ?? new Date()).getTime() - e.startDate.getTime()) / 1000) * (64 / 1024),
          0,
        ),
      };
    },
    /** Resolves once no handler has been invoked for `quietMs` (stream consumers caught up). */
    quiescent: async (quietMs = 1500, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      let seen = -1;
      let since = Date.now();
      while (Date.now() < deadline) {
        if (invocations.length !== seen) {
          seen = invocations.length;
          since = Date.now();
        } else if (Date.now() - since >= quietMs && stack.components.sfn.runningCount === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the local stack did not go quiet');
    },
  };
};
