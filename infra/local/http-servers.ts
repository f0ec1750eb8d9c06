import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiAnswerHeaders, gatewayAnswers } from '#plumbing/http/gateway-responses';
import { validCorrelationId } from '#plumbing/http/request';
import { gatewayError, type HttpReply, type HttpRequest, maxProxyRequestBytes } from './api-gateway.ts';

/** What one of the stack's ports answers; 'handled' when the route wrote the response itself. */
export type PortRouter = (request: HttpRequest, res: ServerResponse) => Promise<HttpReply | 'handled'>;

type HeldServer = {
  server: Server;
  url: string;
  /** Attaches the routes and lets the requests held so far through. */
  open: (route: PortRouter) => void;
};

/** The public API port and the internal port of the AWS API emulations and downstream simulators. */
export type LocalServers = { public: HeldServer; internal: HeldServer };

export const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
};

/**
 * The request body, or `tooLarge` once it passes the proxy limit: the rest is read and dropped
 * (up to a hard cap) so the client gets its 413 instead of a reset connection.
 */
const readBody = (req: IncomingMessage, limit = maxProxyRequestBytes): Promise<string | { tooLarge: true }> =>
  new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > limit * 8) req.destroy();
    });
    req.on('end', () =>
      resolveBody(size > limit ? { tooLarge: true } : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });

/** Every answer of the stack, its own included, carries the API's headers and a correlation id. */
const reply = (res: ServerResponse, r: HttpReply, correlationId: string) => {
  if (res.writableEnded || res.destroyed) return;
  const named = new Set(Object.keys(r.headers).map((k) => k.toLowerCase()));
  res.writeHead(r.status, {
    ...(named.has('x-correlation-id') ? {} : { 'X-Correlation-Id': correlationId }),
    ...r.headers,
    ...apiAnswerHeaders,
  });
  res.end(r.body);
};

const requestOf = (req: IncomingMessage, body: string, base: string): HttpRequest => {
  const parsed = new URL(req.url ?? '/', base);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  return {
    method: req.method ?? 'GET',
    path: parsed.pathname,
    query: parsed.searchParams,
    headers,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  };
};

const answer = (route: PortRouter, base: string) => async (req: IncomingMessage, res: ServerResponse) => {
  const incoming = req.headers['x-correlation-id'];
  const correlationId =
    typeof incoming === 'string' && validCorrelationId(incoming) ? incoming : randomUUID();
  try {
    const body = await readBody(req);
    if (typeof body !== 'string') {
      const tooLarge = gatewayAnswers.REQUEST_TOO_LARGE;
      return reply(
        res,
        gatewayError(tooLarge.status, tooLarge.code, tooLarge.message, correlationId),
        correlationId,
      );
    }
    const answered = await route(requestOf(req, body, base), res);
    if (answered !== 'handled') reply(res, answered, correlationId);
  } catch (error) {
    reply(
      res,
      gatewayError(500, 'LOCAL_STACK_ERROR', (error as Error).message, correlationId),
      correlationId,
    );
  }
};

/**
 * Listens before the handlers exist (their environment names the URL), so a request that
 * arrives during start-up waits until the routes are attached, never hangs or fails.
 */
const listenHeld = async (port: number): Promise<HeldServer> => {
  const ready = Promise.withResolvers<PortRouter>();
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('request', async (req: IncomingMessage, res: ServerResponse) =>
    answer(await ready.promise, url)(req, res),
  );
  return { server, url, open: ready.resolve };
};

// The AWS API emulations and the downstream simulators listen on their own port: in AWS they
// are other services, never reachable through the public API.
export const listenLocalServers = async (publicPort: number): Promise<LocalServers> => ({
  public: await listenHeld(publicPort),
  internal: await listenHeld(0),
});

export const closeLocalServers = async (servers: LocalServers) => {
  const all = [servers.public.server, servers.internal.server];
  for (const s of all) s.closeAllConnections();
  await Promise.all(all.map((s) => new Promise((r) => s.close(r))));
};
