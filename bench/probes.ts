/**
 * What the bench counts inside the in-process local stack: Lambda invocations and their
 * duration, events put on the bus, and Step Functions state transitions. DynamoDB requests and
 * consumed capacity are counted by the stack itself (`#local/dynamo-requests`).
 */
import type { LocalStack } from '#local/local-stack';
import { type FunctionName, functions } from '#topology';

export type Invocation = { function: FunctionName; ms: number };

/** Wraps the local Lambda runtime, the bus and Step Functions to record what AWS would bill. */
export const instrumentStack = (stack: LocalStack) => {
  const { runtime, bus } = stack.components;
  const invocations: Invocation[] = [];
  const invoke = runtime.invoke.bind(runtime);
  runtime.invoke = (async (name: FunctionName, event: unknown) => {
    const started = performance.now();
    try {
      return await invoke(name, event);
    } finally {
      invocations.push({ function: name, ms: performance.now() - started });
    }
  }) as typeof runtime.invoke;

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
    eventsPut,
    executions: stack.components.sfn.executions.size,
  });
  return {
    published,
    snapshot,
    /** What happened since `from` (a snapshot): invocations by function, GB-s, events, transitions. */
    since: (from: ReturnType<typeof snapshot>) => {
      const window = invocations.slice(from.invocations);
      const byFunction: Record<string, { count: number; ms: number }> = {};
      let gbSeconds = 0;
      for (const i of window) {
        const f = byFunction[i.function] ?? { count: 0, ms: 0 };
        byFunction[i.function] = { count: f.count + 1, ms: f.ms + i.ms };
        const memoryMb = (functions[i.function] as { memoryMb?: number }).memoryMb ?? 512;
        gbSeconds += (Math.ceil(i.ms) / 1000) * (memoryMb / 1024);
      }
      const executions = [...stack.components.sfn.executions.values()].slice(from.executions);
      const standard = executions.filter((e) => e.type === 'STANDARD');
      const express = executions.filter((e) => e.type === 'EXPRESS');
      return {
        invocations: window.length,
        byFunction,
        gbSeconds,
        eventsPut: eventsPut - from.eventsPut,
        standardExecutions: standard.length,
        standardTransitions: standard.reduce((sum, e) => sum + e.stateTransitions, 0),
        expressExecutions: express.length,
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
