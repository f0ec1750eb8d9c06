import type { LocalComponents } from './components.ts';
import { activeFaults } from './fault-routes.ts';
import { catalogKeyPrefix } from './faults.ts';
import { downstreamSystems } from './simulators.ts';

type Components = LocalComponents;

const state = (fault: unknown) => (fault ? 'degraded' : 'ok');

/** The stack's /health answer: every part's state, and which are degraded by an injected fault. */
export const health = (c: Components) => {
  const faults = activeFaults(c);
  const { aggregates: catalogFault, ...tableFaults } = faults.tables;
  const catalogOnly = catalogFault?.keyPrefix === catalogKeyPrefix;
  const dynamoFaults = catalogOnly ? tableFaults : faults.tables;
  const streams = c.pollers.map((p) => ({
    name: p.name,
    status: state(faults.streamsPaused),
    ...(faults.streamsPaused ? { paused: true } : {}),
    lastPollAt: p.lastPollAt,
    lastError: p.lastError,
    failedBatches: p.failed.length,
  }));
  const simulators = Object.fromEntries(
    downstreamSystems.map((s) => {
      const fault = c.simulators[s].currentFault as { mode?: string } | undefined;
      const active = fault?.mode && fault.mode !== 'none' ? fault : undefined;
      return [
        s,
        { status: state(active), calls: c.simulators[s].calls, fault: c.simulators[s].currentFault },
      ];
    }),
  );
  const components = {
    dynamodb: {
      status: state(Object.keys(dynamoFaults).length),
      endpoint: c.dynamo.endpoint,
      pid: c.dynamo.pid,
      ...(Object.keys(dynamoFaults).length ? { faults: dynamoFaults } : {}),
    },
    // Step Functions and EventBridge APIs, downstream simulators: not on the public port.
    internalServices: { status: 'ok', endpoint: c.internalUrl },
    catalog: { status: state(catalogOnly), ...(catalogOnly ? { fault: catalogFault } : {}) },
    api: { status: 'ok' },
    functions: Object.fromEntries(
      Object.entries(faults.functions).map(([name, fault]) => [name, { status: 'degraded', fault }]),
    ),
    streams,
    queues: Object.values(c.queues).map((q) => ({
      name: q.name,
      parked: q.depth,
      deadLetters: q.deadLetters,
      lastError: q.lastError,
    })),
    asyncFailureQueues: c.asyncInvoker.depths(),
    eventBus: {
      status: state(faults.eventBus),
      accepted: c.bus.accepted.length,
      ...c.bus.pendingFaults,
    },
    stepFunctions: {
      status: state(faults.startExecution),
      ...(faults.startExecution ? { fault: { startExecution: faults.startExecution } } : {}),
      running: c.sfn.runningCount,
      executions: c.sfn.executions.size,
      failed: [...c.sfn.executions.values()].filter((e) => e.status === 'FAILED').length,
    },
    scheduler: { status: 'ok', schedules: Object.fromEntries(c.scheduler.runs) },
    dataLake: {
      status: 'ok',
      dir: c.lakeDir,
      streams: c.lake.map((s) => ({ name: s.name, delivered: s.delivered, failed: s.failed })),
    },
    simulators,
  };
  const degraded = [
    ...Object.entries(components)
      .filter(([, v]) => (v as { status?: string }).status === 'degraded')
      .map(([k]) => k),
    ...Object.keys(components.functions).map((f) => `functions.${f}`),
    ...(faults.streamsPaused ? ['streams'] : []),
    ...Object.entries(simulators)
      .filter(([, v]) => v.status === 'degraded')
      .map(([k]) => `simulators.${k}`),
  ];
  const started = c.pollers.every((p) => p.lastPollAt !== undefined) || faults.streamsPaused;
  return {
    status: !started ? 'starting' : degraded.length ? 'degraded' : 'ok',
    degraded,
    uptimeMs: Date.now() - c.startedAt,
    components,
  };
};
