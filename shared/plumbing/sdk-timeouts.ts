import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/**
 * Connection and request timeouts of every AWS SDK client, inside the function's own timeout: a
 * hung dependency fails the call (`TimeoutError`, a dependency outage: 503 + Retry-After) while
 * the handler still has time to answer and to release its idempotency record, instead of the
 * function timing out with no answer. CDK sets `SDK_REQUEST_TIMEOUT_MS` from each function's
 * timeout; the default is that of a function with the default timeout.
 */
export const sdkRequestTimeoutEnv = 'SDK_REQUEST_TIMEOUT_MS';

/** Tries per call of clients that retry (the SDK's standard mode) for errors other than a timeout. */
export const sdkMaxAttempts = 3;

/** Default Lambda timeout of the topology's functions (`timeoutSeconds` when not given). */
export const defaultFunctionTimeoutSeconds = 10;

/**
 * A request may take a third of the function's timeout (1 s to 10 s) and is not tried again when
 * it times out (`timeoutsNotRetried`): a dependency silent that long is hung, and a second wait
 * would outlast the function. A handler that meets a hung store on the way in (idempotency) and
 * on the way out (releasing the record) still answers in time.
 */
export const sdkRequestTimeoutMs = (functionTimeoutSeconds: number): number =>
  Math.min(10_000, Math.max(1_000, Math.floor((functionTimeoutSeconds * 1000) / 3)));

/**
 * The local stack's: every handler shares one process and one client there, so the client waits
 * as long as the most patient function's would in AWS; under load, a busy event loop fires timers
 * late and would fail calls whose answer is already waiting. A test of a hung store sets the
 * deployed value of the function it calls (`SDK_REQUEST_TIMEOUT_MS`).
 */
export const localSdkRequestTimeoutMs = sdkRequestTimeoutMs(Number.POSITIVE_INFINITY);

/**
 * The `requestHandler` options of an SDK client (the SDK builds its Node HTTP handler from them).
 * `throwOnRequestTimeout`: the Node HTTP handler only warns about a request past its timeout
 * unless told to fail it (older handlers failed it as an idle socket, which the option keeps).
 */
export const sdkRequestHandler = (): {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: true;
} => {
  const configured = Number(process.env[sdkRequestTimeoutEnv]);
  const requestTimeout =
    Number.isFinite(configured) && configured > 0
      ? configured
      : sdkRequestTimeoutMs(defaultFunctionTimeoutSeconds);
  return { connectionTimeout: Math.min(1_000, requestTimeout), requestTimeout, throwOnRequestTimeout: true };
};

/** The SDK's HTTP handler names both its connection and its request timeout `TimeoutError`. */
export const isTimeout = (error: unknown): boolean => error instanceof Error && error.name === 'TimeoutError';

/**
 * The client's own (standard) retry strategy, except that a timed-out request is not tried
 * again; throttling, resets and server errors are retried as before.
 */
export const timeoutsNotRetried = <C extends { config: object }>(client: C): C => {
  const config = client.config as { retryStrategy: () => Promise<RetryStrategyV2> };
  const standard = config.retryStrategy;
  let wrapped: RetryStrategyV2 | undefined;
  config.retryStrategy = async () => {
    const strategy = await standard();
    wrapped ??= {
      acquireInitialRetryToken: (scope: string) => strategy.acquireInitialRetryToken(scope),
      refreshRetryTokenForRetry: (token: RetryToken, info: RetryErrorInfo) =>
        isTimeout(info.error) ? Promise.reject(info.error) : strategy.refreshRetryTokenForRetry(token, info),
      recordSuccess: (token: RetryToken) => strategy.recordSuccess(token),
    };
    return wrapped;
  };
  return client;
};
