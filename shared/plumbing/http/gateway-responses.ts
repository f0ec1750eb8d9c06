/**
 * API Gateway's own answers (no handler ran), in the contract's error shape. The CDK app turns
 * each entry into a GatewayResponse; the local gateway answers with the same status and code.
 * The correlation id of such an answer is API Gateway's request id (`$context.requestId`).
 * Plain data only: no AWS or CDK imports.
 */
export type GatewayAnswer = { status: number; code: string; message: string };

/** On every API answer, handlers' and the gateway's own: no cached copy anywhere, no content sniffing. */
export const apiAnswerHeaders = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } as const;

export const gatewayAnswers = {
  /** Unknown route, or a known path with a method it does not have. */
  MISSING_AUTHENTICATION_TOKEN: { status: 404, code: 'NOT_FOUND', message: 'No such route' },
  UNAUTHORIZED: { status: 401, code: 'UNAUTHORIZED', message: 'Missing or invalid token' },
  ACCESS_DENIED: { status: 403, code: 'FORBIDDEN', message: 'Access denied' },
  /** The authorizer returned a usage identifier key that no usage plan knows. */
  INVALID_API_KEY: { status: 403, code: 'FORBIDDEN', message: 'This channel has no usage plan' },
  THROTTLED: {
    status: 429,
    code: 'TOO_MANY_REQUESTS',
    message: 'Too many requests for this channel; retry later',
  },
  QUOTA_EXCEEDED: {
    status: 429,
    code: 'QUOTA_EXCEEDED',
    message: 'Daily request quota of this channel is used up',
  },
  REQUEST_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  BAD_REQUEST_BODY: { status: 400, code: 'MALFORMED_REQUEST', message: 'Malformed request' },
  BAD_REQUEST_PARAMETERS: { status: 400, code: 'MALFORMED_REQUEST', message: 'Malformed request' },
  /** A function at its reserved concurrency (bulkhead): the caller may retry shortly. */
  INTEGRATION_FAILURE: {
    status: 429,
    code: 'TOO_MANY_REQUESTS',
    message: 'The function is at its concurrency limit',
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    code: 'GATEWAY_TIMEOUT',
    message: 'The handler did not answer in time',
  },
  AUTHORIZER_FAILURE: { status: 500, code: 'INTERNAL_ERROR', message: 'Authorizer failed' },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Authorizer misconfigured',
  },
  DEFAULT_4XX: { status: 400, code: 'MALFORMED_REQUEST', message: 'Malformed request' },
  DEFAULT_5XX: { status: 500, code: 'INTERNAL_ERROR', message: 'Unexpected gateway error' },
} as const satisfies Record<string, GatewayAnswer>;

export type GatewayAnswerType = keyof typeof gatewayAnswers;

/** `reason` of the error shape: the code as a short human label (same rule as the handlers). */
export const reasonOf = (code: string): string =>
  code
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

/** The error body of a gateway answer, given its correlation id. */
export const gatewayErrorBody = (answer: GatewayAnswer, correlationId: string) => ({
  '@type': 'Error',
  code: answer.code,
  reason: reasonOf(answer.code),
  message: answer.message,
  status: String(answer.status),
  correlationId,
});

/**
 * A method a resource does not have: 405 with `Allow`. In AWS an `ANY` mock method on each
 * resource answers it (explicit methods take precedence over `ANY`); the local gateway likewise.
 */
export const methodNotAllowed: GatewayAnswer = {
  status: 405,
  code: 'METHOD_NOT_ALLOWED',
  message: 'This resource does not support the method; see the Allow header',
};

/** The methods of every resource path of the API (`Allow` header values). */
export const allowedMethodsByPath = (routes: readonly { method: string; path: string }[]) => {
  const byPath = new Map<string, string[]>();
  for (const { method, path } of routes) byPath.set(path, [...(byPath.get(path) ?? []), method]);
  return new Map([...byPath].map(([path, methods]) => [path, [...new Set(methods)].sort().join(', ')]));
};
