import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { verifyBearer } from '#plumbing/auth/verify-token';
import { gatewayError, type HttpReply, type HttpRequest } from './api-gateway.ts';
import type { LocalComponents } from './components.ts';
import { activeFaults, handleFaultRoute } from './fault-routes.ts';
import { catalogKeyPrefix } from './faults.ts';
import { type DownstreamSystem, downstreamSystems, FaultOutsideWindow, faultSchema } from './simulators.ts';

type Components = LocalComponents;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpReply => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const parseJson = (body: string): unknown => {
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    return undefined;
  }
};

const state = (fault: unknown) => (fault ? 'degraded' : 'ok');

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

const replyLater = (res: ServerResponse, reply: HttpReply, delayMs: number) => {
  setTimeout(() => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }, delayMs).unref();
};

/**
 * Routes only the local stack has: health, the bus record, fault controls, and the downstream
 * simulators (their own API, which fulfillment calls, and the contract's ops view of them).
 */
export const handleLocalRoute = async (
  req: HttpRequest,
  c: Components,
  res: ServerResponse,
): Promise<HttpReply | 'handled' | undefined> => {
  const correlationId = req.headers['x-correlation-id'] ?? randomUUID();
  const segments = req.path.split('/').filter(Boolean);

  if (req.method === 'GET' && req.path === '/health') return json(200, health(c));

  if (segments[0] === 'downstream') {
    const system = segments[1] as DownstreamSystem;
    const sim = downstreamSystems.includes(system) ? c.simulators[system] : undefined;
    if (!sim) return json(404, { code: 'NOT_FOUND' });
    if (req.method === 'POST' && segments.length === 3) {
      const result = await sim.request(parseJson(req.body), req.headers['idempotency-key']);
      const reply = json(result.status, result.body ?? {});
      if (result.neverAnswer) {
        res.setTimeout(60_000, () => res.destroy());
        return 'handled';
      }
      if (result.delayMs) {
        replyLater(res, reply, result.delayMs);
        return 'handled';
      }
      return reply;
    }
    if (req.method === 'GET' && segments.length === 4) {
      const result = await sim.query(decodeURIComponent(segments[3]!));
      return json(result.status, result.body);
    }
    return json(405, { code: 'METHOD_NOT_ALLOWED' });
  }

  const opsOnly = segments[0] === 'sim' || req.path === '/ops/events' || segments[1] === 'local';
  if (!opsOnly) return undefined;
  const principal = await verifyBearer(req.headers.authorization);
  if (!principal) return gatewayError(401, 'UNAUTHORIZED', 'Missing or invalid token', correlationId);
  if (principal.role !== 'ops') return gatewayError(403, 'FORBIDDEN', 'Role ops required', correlationId);

  if (req.method === 'GET' && req.path === '/ops/events') {
    const detailType = req.query.get('detailType');
    const orderId = req.query.get('orderId');
    const events = c.bus.accepted.filter((e) => {
      const detail = e.detail as {
        aggregateId?: string;
        resource?: { id?: string; productOrder?: { id?: string } };
      };
      const ids = [detail.aggregateId, detail.resource?.id, detail.resource?.productOrder?.id];
      return (!detailType || e['detail-type'] === detailType) && (!orderId || ids.includes(orderId));
    });
    return json(200, { count: events.length, events }, { 'X-Total-Count': String(events.length) });
  }

  if (segments[0] === 'sim' && segments.length >= 3) {
    const system = segments[1] as DownstreamSystem;
    const sim = downstreamSystems.includes(system) ? c.simulators[system] : undefined;
    if (!sim) return gatewayError(404, 'NOT_FOUND', `No simulator ${segments[1]}`, correlationId);
    if (req.method === 'PUT' && segments[2] === 'faults') {
      const parsed = faultSchema.safeParse(parseJson(req.body));
      if (!parsed.success) {
        return json(400, {
          code: 'MALFORMED_REQUEST',
          message: 'Invalid fault',
          status: '400',
          correlationId,
          details: {
            fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
          },
        });
      }
      try {
        sim.setFault(parsed.data);
      } catch (error) {
        if (!(error instanceof FaultOutsideWindow)) throw error;
        return json(422, {
          code: 'FAULT_OUTSIDE_WINDOW',
          message: error.message,
          status: '422',
          correlationId,
        });
      }
      return json(200, { system, fault: sim.currentFault, inFlightWindowMs: sim.inFlightWindowMs });
    }
    const listName = system === 'provisioning' ? 'activations' : 'subscriptions';
    if (req.method === 'GET' && segments[2] === listName) {
      const records = await sim.records({ orderId: req.query.get('orderId') ?? undefined });
      return json(200, { count: records.length, [listName]: records });
    }
    return gatewayError(404, 'NOT_FOUND', `No route for ${req.path}`, correlationId);
  }

  if (segments[1] === 'local') {
    if (segments[2] === 'faults') {
      const reply = handleFaultRoute(req, c, correlationId);
      if (reply) return reply;
    }
    if (req.method === 'PUT' && req.path === '/ops/local/event-bus/faults') {
      const body = (parseJson(req.body) ?? {}) as { refuseCalls?: number; failEntries?: number };
      c.bus.refuseNext(Number(body.refuseCalls ?? 0));
      c.bus.failNextEntries(Number(body.failEntries ?? 0));
      return json(200, c.bus.pendingFaults);
    }
    if (
      req.method === 'POST' &&
      segments[2] === 'schedules' &&
      segments[4] === 'runs' &&
      segments.length === 5
    ) {
      const name = segments[3] ?? '';
      if (!c.scheduler.runs.has(name))
        return gatewayError(404, 'NOT_FOUND', `No schedule ${name}`, correlationId);
      const result = await c.scheduler.run(name).catch((error: Error) => ({ error: error.message }));
      return result === undefined
        ? gatewayError(409, 'SCHEDULE_RUNNING', `Schedule ${name} is running`, correlationId)
        : json(200, { schedule: name, result });
    }
    if (req.method === 'GET' && req.path === '/ops/local/invocations')
      return json(200, Object.fromEntries(c.runtime.invocations));
    if (req.method === 'GET' && req.path === '/ops/local/iam-denials')
      return json(200, { count: c.iam.denials.length, denials: c.iam.denials });
    if (req.method === 'GET' && req.path === '/ops/local/full-reads')
      return json(200, { count: c.readAudit.fullReads.length, fullReads: c.readAudit.fullReads });
    if (req.method === 'GET' && req.path.startsWith('/ops/local/dynamo-requests/')) {
      // What one API request (by its X-Correlation-Id) sent to DynamoDB.
      const tally = c.dynamoRequests.of(
        decodeURIComponent(req.path.slice('/ops/local/dynamo-requests/'.length)),
      );
      return tally
        ? json(200, tally)
        : gatewayError(404, 'NOT_FOUND', 'No request with this correlation id', correlationId);
    }
    if (req.method === 'GET' && req.path === '/ops/local/metrics') return json(200, c.metrics.snapshot());
    if (req.method === 'GET' && req.path === '/ops/local/dead-letters') {
      const queues = await Promise.all(
        Object.values(c.queues).map(async (q) => ({ queue: q.name, ...(await q.contents()) })),
      );
      return json(200, {
        // Each asynchronously invoked function's on-failure destination queue, as Lambda fills it.
        asyncInvocations: Object.fromEntries(c.asyncInvoker.destinations),
        streams: c.pollers.flatMap((p) => p.failed),
        queues,
      });
    }
    if (req.method === 'GET' && req.path === '/ops/local/executions') {
      const orderId = req.query.get('orderId');
      const list = [...c.sfn.executions.values()].filter((e) => !orderId || e.input.includes(`"${orderId}"`));
      return json(200, { count: list.length, executions: list });
    }
  }
  return gatewayError(404, 'NOT_FOUND', `No route for ${req.path}`, correlationId);
};
