import type { ServerResponse } from 'node:http';
import { verifyBearer } from '#plumbing/auth/verify-token';
import type { HttpReply } from './api-gateway.ts';
import { faultRoutes } from './fault-routes.ts';
import { health } from './health.ts';
import { json, type LocalRoute, localError, parseJson, type RouteContext } from './local-router.ts';
import { type DownstreamSystem, downstreamSystems, FaultOutsideWindow, faultSchema } from './simulators.ts';

const replyLater = (res: ServerResponse, reply: HttpReply, delayMs: number) => {
  setTimeout(() => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }, delayMs).unref();
};

const simulatorOf = ({ c, params }: RouteContext) => {
  const system = params.system as DownstreamSystem;
  return downstreamSystems.includes(system) ? c.simulators[system] : undefined;
};

const noSimulator = ({ params, correlationId }: RouteContext) =>
  localError(404, 'NOT_FOUND', `No simulator ${params.system}`, correlationId);

const noRoute = ({ req, correlationId }: RouteContext) =>
  localError(404, 'NOT_FOUND', `No route for ${req.path}`, correlationId);

const ops = (method: LocalRoute['method'], path: string, handler: LocalRoute['handler']): LocalRoute => ({
  method,
  path,
  port: 'public',
  auth: 'ops',
  handler,
});

// The downstream systems' own API, which fulfillment calls: on the internal port, as open as
// the real systems are to their callers.
const downstream = (
  method: LocalRoute['method'],
  path: string,
  handler: LocalRoute['handler'],
): LocalRoute => ({
  method,
  path: `/downstream/{system}${path}`,
  port: 'internal',
  auth: 'none',
  handler,
});

const listNames: Record<DownstreamSystem, string> = {
  provisioning: 'activations',
  billing: 'subscriptions',
};

/**
 * Routes only the local stack has: health, the bus record, fault controls, schedule runs, the
 * local records tests read, and the downstream simulators (their API and the contract's ops
 * view of them). First match wins; the trailing `*` routes answer the prefixes the local stack
 * owns, so nothing under them reaches the API.
 */
export const localRoutes: LocalRoute[] = [
  // Without an ops token: the state and the names of degraded parts only, nothing about the stack.
  {
    method: 'GET',
    path: '/health',
    port: 'public',
    auth: 'none',
    handler: async ({ c, req }) => {
      const report = health(c);
      const principal = await verifyBearer(req.headers.authorization);
      return json(
        200,
        principal?.role === 'ops' ? report : { status: report.status, degraded: report.degraded },
      );
    },
  },
  downstream('POST', '/{operation}', async (ctx) => {
    const sim = simulatorOf(ctx);
    if (!sim) return noSimulator(ctx);
    const result = await sim.request(parseJson(ctx.req.body), ctx.req.headers['idempotency-key']);
    const reply = json(result.status, result.body ?? {});
    if (result.neverAnswer) {
      ctx.res.setTimeout(60_000, () => ctx.res.destroy());
      return 'handled';
    }
    if (!result.delayMs) return reply;
    replyLater(ctx.res, reply, result.delayMs);
    return 'handled';
  }),
  // Billing's own subscription API (what reconciliation compares the installed base with).
  downstream('GET', '/subscriptions/{productId}', async (ctx) => {
    const subscriptions = simulatorOf(ctx)?.subscriptions;
    if (!subscriptions) return noSimulator(ctx);
    const found = await subscriptions.get(ctx.params.productId ?? '');
    return found
      ? json(200, found)
      : localError(404, 'NOT_FOUND', 'No subscription for this product', ctx.correlationId);
  }),
  downstream('GET', '/subscriptions', async (ctx) => {
    const subscriptions = simulatorOf(ctx)?.subscriptions;
    if (!subscriptions) return noSimulator(ctx);
    const limit = Math.min(100, Math.max(1, Number(ctx.req.query.get('limit') ?? 50) || 50));
    const status = ctx.req.query.get('status');
    if (status && !['active', 'suspended', 'terminated'].includes(status))
      return localError(400, 'MALFORMED_REQUEST', `Unknown status ${status}`, ctx.correlationId);
    const page = await subscriptions.page(
      limit,
      ctx.req.query.get('cursor') ?? undefined,
      (status ?? undefined) as never,
    );
    return json(200, {
      subscriptions: page.subscriptions,
      ...(page.next ? { nextCursor: page.next } : {}),
    });
  }),
  downstream('GET', '/{operation}/{id}', async (ctx) => {
    const sim = simulatorOf(ctx);
    if (!sim) return noSimulator(ctx);
    const result = await sim.query(ctx.params.id ?? '');
    return json(result.status, result.body);
  }),
  downstream('*', '/{rest*}', (ctx) =>
    simulatorOf(ctx)
      ? localError(
          405,
          'METHOD_NOT_ALLOWED',
          `${ctx.req.method} not allowed on ${ctx.req.path}`,
          ctx.correlationId,
        )
      : noSimulator(ctx),
  ),
  ops('GET', '/ops/events', ({ c, req }) => {
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
  }),
  ops('PUT', '/sim/{system}/faults', (ctx) => {
    const sim = simulatorOf(ctx);
    if (!sim) return noSimulator(ctx);
    const parsed = faultSchema.safeParse(parseJson(ctx.req.body));
    if (!parsed.success)
      return localError(400, 'MALFORMED_REQUEST', 'Invalid fault', ctx.correlationId, {
        fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    try {
      sim.setFault(parsed.data);
    } catch (error) {
      if (!(error instanceof FaultOutsideWindow)) throw error;
      return localError(422, 'FAULT_OUTSIDE_WINDOW', error.message, ctx.correlationId);
    }
    return json(200, {
      system: ctx.params.system,
      fault: sim.currentFault,
      inFlightWindowMs: sim.inFlightWindowMs,
    });
  }),
  ops('GET', '/sim/{system}/{list}', async (ctx) => {
    const sim = simulatorOf(ctx);
    if (!sim) return noSimulator(ctx);
    const listName = listNames[ctx.params.system as DownstreamSystem];
    if (ctx.params.list !== listName) return noRoute(ctx);
    const records = await sim.records({ orderId: ctx.req.query.get('orderId') ?? undefined });
    return json(200, { count: records.length, [listName]: records });
  }),
  ...faultRoutes,
  ops('PUT', '/ops/local/event-bus/faults', ({ c, req }) => {
    const body = (parseJson(req.body) ?? {}) as { refuseCalls?: number; failEntries?: number };
    c.bus.refuseNext(Number(body.refuseCalls ?? 0));
    c.bus.failNextEntries(Number(body.failEntries ?? 0));
    return json(200, c.bus.pendingFaults);
  }),
  ops('POST', '/ops/local/schedules/{name}/runs', async ({ c, params: { name = '' }, correlationId }) => {
    if (!c.scheduler.runs.has(name))
      return localError(404, 'NOT_FOUND', `No schedule ${name}`, correlationId);
    const result = await c.scheduler.run(name).catch((error: Error) => ({ error: error.message }));
    return result === undefined
      ? localError(409, 'SCHEDULE_RUNNING', `Schedule ${name} is running`, correlationId)
      : json(200, { schedule: name, result });
  }),
  ops('GET', '/ops/local/invocations', ({ c }) => json(200, Object.fromEntries(c.runtime.invocations))),
  ops('GET', '/ops/local/in-flight', ({ c }) =>
    json(200, Object.fromEntries([...c.runtime.inFlight].filter(([, n]) => n > 0))),
  ),
  ops('GET', '/ops/local/iam-denials', ({ c }) =>
    json(200, { count: c.iam.denials.length, denials: c.iam.denials }),
  ),
  ops('GET', '/ops/local/full-reads', ({ c }) =>
    json(200, { count: c.readAudit.fullReads.length, fullReads: c.readAudit.fullReads }),
  ),
  // What one API request (by its X-Correlation-Id) sent to DynamoDB.
  ops('GET', '/ops/local/dynamo-requests/{requestId*}', ({ c, params, correlationId }) => {
    const tally = c.dynamoRequests.of(params.requestId ?? '');
    return tally
      ? json(200, tally)
      : localError(404, 'NOT_FOUND', 'No request with this correlation id', correlationId);
  }),
  ops('GET', '/ops/local/metrics', ({ c }) => json(200, c.metrics.snapshot())),
  ops('GET', '/ops/local/dead-letters', async ({ c }) => {
    const queues = await Promise.all(
      Object.values(c.queues).map(async (q) => ({ queue: q.name, ...(await q.contents()) })),
    );
    return json(200, {
      // Each asynchronously invoked function's on-failure destination queue, as Lambda fills it.
      asyncInvocations: Object.fromEntries(c.asyncInvoker.destinations),
      streams: c.pollers.flatMap((p) => p.failed),
      queues,
    });
  }),
  ops('GET', '/ops/local/executions', ({ c, req }) => {
    const orderId = req.query.get('orderId');
    const list = [...c.sfn.executions.values()].filter((e) => !orderId || e.input.includes(`"${orderId}"`));
    return json(200, { count: list.length, executions: list });
  }),
  ops('*', '/ops/local/{rest*}', noRoute),
  ops('*', '/ops/events', noRoute),
  ops('*', '/sim/{rest*}', noRoute),
];
