import type { z } from 'zod';
import { gatewayError, type HttpReply, type HttpRequest } from './api-gateway.ts';
import type { LocalComponents } from './components.ts';
import {
  busFaultSchema,
  catalogFaultSchema,
  functionFaultSchema,
  startExecutionFaultSchema,
  streamsFaultSchema,
  tableFaultSchema,
} from './faults.ts';

type Components = LocalComponents;

const json = (status: number, body: unknown): HttpReply => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const parse = <T>(schema: z.ZodType<T>, body: string, correlationId: string): T | HttpReply => {
  let raw: unknown;
  try {
    raw = body ? JSON.parse(body) : {};
  } catch {
    return gatewayError(400, 'MALFORMED_REQUEST', 'Body is not JSON', correlationId);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return json(400, {
    code: 'MALFORMED_REQUEST',
    reason: 'MALFORMED_REQUEST',
    message: 'Invalid fault',
    status: '400',
    correlationId,
    details: { fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) },
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

/**
 * The ops-only faults API under /ops/local/faults (see README "Failing a dependency on demand").
 * PUT sets a fault, DELETE clears one kind or, without a kind, every fault.
 */
export const handleFaultRoute = (
  req: HttpRequest,
  c: Components,
  correlationId: string,
): HttpReply | undefined => {
  const [, , , kind, name] = req.path.split('/').filter(Boolean);
  const faults = c.runtime.faults;
  const notFound = (what: string) => gatewayError(404, 'NOT_FOUND', `No ${what} ${name}`, correlationId);
  const done = () => json(200, activeFaults(c));

  if (req.method === 'GET' && !kind) return done();
  if (req.method === 'DELETE') {
    if (!kind) {
      faults.clear();
      clearBus(c);
    } else if (kind === 'functions' && name && faults.isFunction(name)) faults.functions.delete(name);
    else if (kind === 'tables' && name && faults.isTable(name)) faults.tables.delete(name);
    else if (kind === 'catalog') faults.tables.delete('aggregates');
    else if (kind === 'event-bus') clearBus(c);
    else if (kind === 'start-execution') faults.startExecution = undefined;
    else if (kind === 'streams') faults.streamsPaused = false;
    else return gatewayError(404, 'NOT_FOUND', `No fault kind ${req.path}`, correlationId);
    return done();
  }
  if (req.method !== 'PUT' || !kind) return undefined;

  switch (kind) {
    case 'functions': {
      if (!name || !faults.isFunction(name)) return notFound('function');
      const fault = parse(functionFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setFunction(name, fault);
      return done();
    }
    case 'tables': {
      if (!name || !faults.isTable(name)) return notFound('table');
      const fault = parse(tableFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setTable(name, fault);
      return done();
    }
    case 'catalog': {
      const fault = parse(catalogFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setCatalog(fault);
      return done();
    }
    case 'event-bus': {
      const fault = parse(busFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      c.bus.unavailable = fault.unavailable;
      c.bus.refuseNext(fault.refuseCalls);
      c.bus.failNextEntries(fault.failEntries);
      c.bus.duplicateNext(fault.duplicateDeliveries, fault.duplicateDetailTypes);
      return done();
    }
    case 'start-execution': {
      const fault = parse(startExecutionFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.setStartExecution(fault);
      return done();
    }
    case 'streams': {
      const fault = parse(streamsFaultSchema, req.body, correlationId);
      if (isReply(fault)) return fault;
      faults.streamsPaused = fault.paused;
      return done();
    }
  }
  return gatewayError(404, 'NOT_FOUND', `No fault kind ${kind}`, correlationId);
};
