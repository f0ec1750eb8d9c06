/**
 * Lambda duration as AWS would bill it, measured so that it does not depend on how busy this
 * machine is: the handlers share one process and event loop locally, so an invocation's wall time
 * grows with everything else running (a one-item order: $0.27 quiet, $0.34-0.40 under load).
 *
 * Billed duration of one invocation = its own CPU time + its modelled I/O wait, rounded up to 1 ms.
 * - CPU time: process CPU time (user + system, `process.cpuUsage`) spent while a callback of the
 *   invocation runs (async hooks switch the account at every callback; the invocation's context is
 *   an AsyncLocalStorage). Waiting for the event loop is not CPU time, so the load of other
 *   invocations is not charged. It includes what the local runtime does in the invocation's
 *   context (IAM and size checks, the event's structured clone): a little more than Lambda's.
 * - I/O wait: each outbound request of the invocation (over `node:http` or `fetch`) costs the
 *   in-region latency of its service (`ioLatencyMs`, a stated model, not a measurement);
 *   requests that overlap locally overlap in AWS too (a batch sent at once), so a run of
 *   overlapping requests (a wave) costs its slowest member.
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/** Typical in-region round trips (ms) assumed per service; `http`: a downstream's or a channel's answer. */
export const ioLatencyMs = {
  dynamodb: 5,
  eventbridge: 20,
  stepfunctions: 25,
  s3: 30,
  firehose: 20,
  http: 50,
} as const;
export type IoService = keyof typeof ioLatencyMs;

export type InvocationAccount = { cpuMicros: number; ioMs: number; requests: number };
type Account = InvocationAccount & { outstanding: number; waveMs: number };

/** The service of an AWS SDK request, from its target header or its signing scope. */
export const serviceOf = (target: string | undefined, authorization: string | undefined): IoService => {
  if (target?.startsWith('DynamoDB_')) return 'dynamodb';
  if (target?.startsWith('AWSEvents.')) return 'eventbridge';
  if (target?.startsWith('AWSStepFunctions.')) return 'stepfunctions';
  if (target?.startsWith('Firehose_')) return 'firehose';
  if (authorization?.includes('/s3/aws4_request')) return 's3';
  return 'http';
};

/** A wave of overlapping requests costs its slowest member, once the last of them ends. */
export const startRequest = (a: Account, service: IoService): void => {
  if (a.outstanding === 0) a.waveMs = 0;
  a.outstanding++;
  a.requests++;
  a.waveMs = Math.max(a.waveMs, ioLatencyMs[service]);
};
export const endRequest = (a: Account): void => {
  if (a.outstanding === 0) return;
  a.outstanding--;
  if (a.outstanding === 0) a.ioMs += a.waveMs;
};

/** Milliseconds billed: CPU plus I/O, rounded up to the next millisecond (at least 1). */
export const billedMs = (a: InvocationAccount): number => Math.max(1, Math.ceil(a.cpuMicros / 1000 + a.ioMs));

const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Installs the accounting; `run` executes one invocation under its own account. */
export const billedDurationMeter = () => {
  const scope = new AsyncLocalStorage<Account>();
  let current: Account | undefined;
  let since = cpuNow();
  const stack: (Account | undefined)[] = [];
  const switchTo = (next: Account | undefined) => {
    const now = cpuNow();
    if (current) current.cpuMicros += now - since;
    current = next;
    since = now;
  };
  const enter = (next: Account | undefined) => {
    stack.push(current);
    switchTo(next);
  };
  const leave = () => switchTo(stack.pop());
  const hook = createHook({ before: () => enter(scope.getStore()), after: leave });
  hook.enable();

  const open = new WeakMap<object, Account>();
  const started = (request: object, service: IoService) => {
    const account = scope.getStore();
    if (!account) return;
    open.set(request, account);
    startRequest(account, service);
  };
  const ended = (request: object) => {
    const account = open.get(request);
    if (!account) return;
    open.delete(request);
    endRequest(account);
  };
  subscribe('http.client.request.start', (m) => {
    const req = (m as { request: ClientRequest }).request;
    const header = (name: string) => req.getHeader(name)?.toString();
    started(req, serviceOf(header('x-amz-target'), header('authorization')));
  });
  subscribe('http.client.response.finish', (m) => ended((m as { request: object }).request));
  subscribe('http.client.request.error', (m) => ended((m as { request: object }).request));
  subscribe('undici:request:create', (m) => started((m as { request: object }).request, 'http'));
  subscribe('undici:request:headers', (m) => ended((m as { request: object }).request));
  subscribe('undici:request:error', (m) => ended((m as { request: object }).request));

  return {
    run: async <R>(
      invoke: () => Promise<R>,
    ): Promise<{ result?: R; error?: unknown; account: InvocationAccount }> => {
      const account: Account = { cpuMicros: 0, ioMs: 0, requests: 0, outstanding: 0, waveMs: 0 };
      enter(account);
      let pending: Promise<R>;
      try {
        pending = scope.run(account, invoke);
      } finally {
        leave();
      }
      try {
        return { result: await pending, account };
      } catch (error) {
        return { error, account };
      } finally {
        // A request the handler abandoned (its timeout) still cost the wave it was in.
        if (account.outstanding > 0) account.ioMs += account.waveMs;
        account.outstanding = 0;
      }
    },
    stop: () => hook.disable(),
  };
};
