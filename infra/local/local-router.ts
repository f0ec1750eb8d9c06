import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { verifyBearer } from '#plumbing/auth/verify-token';
import { gatewayErrorBody } from '#plumbing/http/gateway-responses';
import { validCorrelationId } from '#plumbing/http/request';
import type { HttpReply, HttpRequest } from './api-gateway.ts';
import type { LocalComponents } from './components.ts';

export type RouteContext = {
  req: HttpRequest;
  /** The path's `{name}` segments, URL-decoded; a trailing `{name*}` holds the rest of the path. */
  params: Record<string, string>;
  c: LocalComponents;
  res: ServerResponse;
  correlationId: string;
};

/** A route only the local stack has, declared like the topology's API routes. */
export type LocalRoute = {
  /** `*` answers every method (a prefix the local stack owns). */
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | '*';
  path: string;
  /** `public`: the API port; `internal`: the port of the services the handlers call. */
  port: 'public' | 'internal';
  /** `ops`: an ops bearer token; `none`: open, as the emulated service is to its callers. */
  auth: 'ops' | 'none';
  handler: (ctx: RouteContext) => HttpReply | 'handled' | Promise<HttpReply | 'handled'>;
};

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpReply => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** The one error shape of every local route: the gateway's error body, with the fields at fault. */
export const localError = (
  status: number,
  code: string,
  message: string,
  correlationId: string,
  details?: { fields: { field: string; message: string }[] },
): HttpReply =>
  json(
    status,
    { ...gatewayErrorBody({ status, code, message }, correlationId), ...(details ? { details } : {}) },
    { 'X-Correlation-Id': correlationId },
  );

export const parseJson = (body: string): unknown => {
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    return undefined;
  }
};

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

const matchPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const param = /^\{(\w+)(\*)?\}$/.exec(segment);
    if (param?.[2]) {
      params[param[1]!] = decode(got.slice(i).join('/'));
      return params;
    }
    const value = got[i];
    if (value === undefined) return undefined;
    if (param) params[param[1]!] = decode(value);
    else if (segment !== value) return undefined;
  }
  return got.length === want.length ? params : undefined;
};

/** The first route of the table for this port, method and path, with its path parameters. */
export const matchRoute = (
  table: readonly LocalRoute[],
  port: LocalRoute['port'],
  method: string,
  path: string,
) => {
  for (const route of table) {
    if (route.port !== port || (route.method !== '*' && route.method !== method)) continue;
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
};

/** The matching route answered under its auth; undefined if the table has none. */
export const routeLocally = async (
  table: readonly LocalRoute[],
  port: LocalRoute['port'],
  req: HttpRequest,
  c: LocalComponents,
  res: ServerResponse,
): Promise<HttpReply | 'handled' | undefined> => {
  const found = matchRoute(table, port, req.method, req.path);
  if (!found) return undefined;
  const { route, params } = found;
  const incoming = req.headers['x-correlation-id'];
  const correlationId = validCorrelationId(incoming) ? incoming : randomUUID();
  if (route.auth === 'ops') {
    const principal = await verifyBearer(req.headers.authorization);
    if (!principal) return localError(401, 'UNAUTHORIZED', 'Missing or invalid token', correlationId);
    if (principal.role !== 'ops') return localError(403, 'FORBIDDEN', 'Role ops required', correlationId);
  }
  return route.handler({ req, params, c, res, correlationId });
};
