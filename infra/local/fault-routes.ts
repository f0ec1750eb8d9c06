import type { z } from 'zod';
import type { HttpReply } from './api-gateway.ts';
import type { LocalComponents } from './components.ts';
import {
  busFaultSchema,
  catalogFaultSchema,
  functionFaultSchema,
  startExecutionFaultSchema,
  streamsFaultSchema,
  tableFaultSchema,
} from './faults.ts';
import { json, type LocalRoute, localError, type RouteContext } from './local-router.ts';

type Components = LocalComponents;

const parse = <T>(schema: z.ZodType<T>, body: string, correlationId: string): T | HttpReply => {
  let raw: unknown;
  try {
    raw = body ? JSON.parse(body) : {};
  } catch {
    return localError(400, 'MALFORMED_REQUEST', 'Body is not JSON', correlationId);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return localError(400, 'MALFORMED_REQUEST', 'Invalid fault', correlationId, {
    fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
  });
};

const isReply = (v: unknown): v is HttpReply =>
  typeof v === 'object' && v !== null && 'status' in v && 'body' in v && 'headers' in v;

/** Everything injected right now: the faults API's answer and the source of /health's degraded list. */
export const activeFaults = (c: Components) => {
  const bus = c.bus.pendingFaults;
  return {
    ...c.runtime.faults.snapshot(),
    eventBus: bus.unavailable || bus.refusals || bus.partialFailures || bus.duplicates ? bus : undefined,
  };
};

const clearBus = (c: Components) => {
  c.bus.unavailable = false;
  c.bus.refuseNext(0);
  c.bus.failNextEntries(0);
  c.bus.duplicateNext(0);
};

const done = (c: Components) => json(200, activeFaults(c));

const clearFault = ({ c, params, req, correlationId }: RouteContext): HttpReply => {
  const { kind, name } = params;
  const faults = c.runtime.faults;
  if (kind === 'functions' && name && faults.isFunction(name)) faults.functions.delete(name);
  else if (kind === 'tables' && name && faults.isTable(name)) faults.tables.delete(name);
  else if (kind === 'catalog') faults.tables.delete('aggregates');
  else if (kind === 'event-bus') clearBus(c);
  else if (kind === 'start-execution') faults.startExecution = undefined;
  else if (kind === 'streams') faults.streamsPaused = false;
  else return localError(404, 'NOT_FOUND', `No fault kind ${req.path}`, correlationId);
  return done(c);
};

const setFault = ({ c, params, req, correlationId }: RouteContext): HttpReply => {
  const { kind, name } = params;
  const faults = c.runtime.faults;
  const notFound = (what: string) => localError(404, 'NOT_FOUND', `No ${what} ${name}`, correlationId);
  switch (kind) {
    case 'functions': {
      if (!name || !faults.isFunction(name)) return notFound('function');
      const fault = parse(functionFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setFunction(name, fault);
      return done(c);
    }
    case 'tables': {
      if (!name || !faults.isTable(name)) return notFound('table');
      const fault = parse(tableFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setTable(name, fault);
      return done(c);
    }
    case 'catalog': {
      const fault = parse(catalogFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setCatalog(fault);
      return done(c);
    }
    case 'event-bus': {
      const fault = parse(busFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      c.bus.unavailable = fault.unavailable;
      c.bus.refuseNext(fault.refuseCalls);
      c.bus.failNextEntries(fault.failEntries);
      c.bus.duplicateNext(fault.duplicateDeliveries, fault.duplicateDetailTypes);
      return done(c);
    }
    case 'start-execution': {
      const fault = parse(startExecutionFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setStartExecution(fault);
      return done(c);
    }
    case 'streams': {
      const fault = parse(streamsFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.streamsPaused = fault.paused;
      return done(c);
    }
  }
  return localError(404, 'NOT_FOUND', `No fault kind ${kind}`, correlationId);
};

const faultRoute = (
  method: LocalRoute['method'],
  path: string,
  handler: LocalRoute['handler'],
): LocalRoute => ({
  method,
  path: `/ops/local/faults${path}`,
  port: 'public',
  auth: 'ops',
  handler,
});

/**
 * The ops-only faults API (see README "Failing a dependency on demand"): PUT sets a fault,
 * DELETE clears one kind or, without a kind, every fault.
 */
export const faultRoutes: LocalRoute[] = [
  faultRoute('GET', '', ({ c }) => done(c)),
  faultRoute('DELETE', '', ({ c }) => {
    c.runtime.faults.clear();
    clearBus(c);
    return done(c);
  }),
  faultRoute('DELETE', '/{kind}', clearFault),
  faultRoute('DELETE', '/{kind}/{name}', clearFault),
  faultRoute('PUT', '/{kind}', setFault),
  faultRoute('PUT', '/{kind}/{name}', setFault),
];
