import type { Downstream } from '#domain/order/fulfillment-task';
import type { DownstreamConfirmation } from '#domain/order/repair';
import { env } from '#plumbing/env';

export type DownstreamSystem = Downstream;

/** Sent, but no answer in time: the side effect may or may not have happened. */
export class DownstreamTimeout extends Error {
  override readonly name = 'DownstreamTimeout';
}
/** Not done: the downstream answered 5xx or could not be reached. Safe to retry. */
export class DownstreamUnavailable extends Error {
  override readonly name = 'DownstreamUnavailable';
}
/** The downstream understood and refused (semantic 4xx). Retrying changes nothing. */
export class DownstreamRejected extends Error {
  override readonly name = 'DownstreamRejected';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export type DownstreamRequest = {
  correlationId: string;
  orderId: string;
  taskId: string;
  action: string;
  payload: Record<string, unknown>;
};
export type DownstreamAck = { downstreamRef: string; status: string; correlationId: string };
export type DownstreamQuery =
  /** `completedRefs`: every reference the downstream completed under this correlation id. */
  | { status: 'DONE'; downstreamRef: string; count: number; completedRefs: string[] }
  | { status: 'PENDING'; downstreamRef: string; count: number }
  | { status: 'NOT_FOUND' };

const call = async (
  url: string,
  init: RequestInit,
  correlationId: string,
  extraHeaders: Record<string, string> = {},
): Promise<Response> => {
  const timeoutMs = env.downstreamTimeoutMs();
  try {
    return await fetch(url, {
      ...init,
      headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': correlationId, ...extraHeaders },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause === 'ECONNREFUSED' || cause === 'ENOTFOUND') {
      throw new DownstreamUnavailable(`${url} unreachable (${cause})`);
    }
    if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
      throw new DownstreamTimeout(`No answer from ${url} within ${timeoutMs} ms`);
    }
    // The connection broke after the request was sent: as unknown as a timeout.
    throw new DownstreamTimeout(`Connection to ${url} failed: ${(error as Error).message}`);
  }
};

const bodyOf = async (res: Response): Promise<Record<string, unknown>> => {
  try {
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/**
 * Side-effecting call. The task's correlation id is its `Idempotency-Key`: the same on every
 * attempt, so a downstream that honours the header applies a repeated request once.
 */
export const sendToDownstream = async (
  system: DownstreamSystem,
  request: DownstreamRequest,
): Promise<DownstreamAck> => {
  const res = await call(
    `${env.downstreamUrl(system)}/requests`,
    { method: 'POST', body: JSON.stringify(request) },
    request.correlationId,
    { 'Idempotency-Key': request.correlationId },
  );
  const body = await bodyOf(res);
  if (res.status >= 500 || res.status === 429)
    throw new DownstreamUnavailable(`${system} answered ${res.status}`);
  if (res.status >= 400)
    throw new DownstreamRejected(
      `${system} rejected: ${String(body.message ?? res.status)}`,
      String(body.code ?? res.status),
    );
  return body as DownstreamAck;
};

/** What the downstream knows of a correlation id: done, still running, or never received. */
export const queryDownstream = async (
  system: DownstreamSystem,
  correlationId: string,
): Promise<DownstreamQuery> => {
  const res = await call(
    `${env.downstreamUrl(system)}/requests/${encodeURIComponent(correlationId)}`,
    { method: 'GET' },
    correlationId,
  );
  if (res.status === 404) return { status: 'NOT_FOUND' };
  if (res.status >= 500 || res.status === 429)
    throw new DownstreamUnavailable(`${system} query answered ${res.status}`);
  const body = await bodyOf(res);
  if (res.status >= 400)
    throw new DownstreamRejected(`${system} refused the query`, String(body.code ?? res.status));
  const downstreamRef = String(body.downstreamRef ?? '');
  const count = Number(body.count ?? 1);
  if (body.status !== 'COMPLETED') return { status: 'PENDING', downstreamRef, count };
  const completedRefs = Array.isArray(body.completedRefs) ? body.completedRefs.map(String) : [downstreamRef];
  return { status: 'DONE', downstreamRef, count, completedRefs };
};

/** The downstream's own word on a correlation id, for a repair that claims the work was done. */
export const confirmWithDownstream = async (
  system: DownstreamSystem,
  correlationId: string,
): Promise<DownstreamConfirmation> => {
  try {
    const answer = await queryDownstream(system, correlationId);
    return answer.status === 'DONE' ? { status: 'DONE', completedRefs: answer.completedRefs } : answer;
  } catch (error) {
    return { status: 'UNAVAILABLE', reason: (error as Error).name };
  }
};
