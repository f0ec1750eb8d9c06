/**
 * Connection and request timeouts of every AWS SDK client, inside the function's own timeout: a
 * hung dependency fails the call (`TimeoutError`, a dependency outage: 503 + Retry-After) while
 * the handler still has time to answer and to release its idempotency record, instead of the
 * function timing out with no answer. CDK sets `SDK_REQUEST_TIMEOUT_MS` from each function's
 * timeout; the default is that of a function with the default timeout.
 */
export const sdkRequestTimeoutEnv = 'SDK_REQUEST_TIMEOUT_MS';

/** Tries per call of clients that retry (the SDK's standard mode). */
export const sdkMaxAttempts = 3;

/** Default Lambda timeout of the topology's functions (`timeoutSeconds` when not given). */
export const defaultFunctionTimeoutSeconds = 10;

/**
 * One attempt may take a tenth of the function's timeout (1 s to 5 s): the tries of one hung
 * call plus the SDK's backoff stay under a third of it, so a handler that meets a hung store on
 * the way in (idempotency) and on the way out (releasing the record) still answers in time.
 */
export const sdkRequestTimeoutMs = (functionTimeoutSeconds: number): number =>
  Math.min(5_000, Math.max(1_000, Math.floor((functionTimeoutSeconds * 1000) / 10)));

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
