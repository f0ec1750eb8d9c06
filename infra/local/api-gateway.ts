import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { api, type Route } from '#topology';
import { InjectedIntegrationResponse, type LambdaRuntime, LambdaThrottled } from './lambda-runtime.ts';
import { localAccount, localRegion } from './local-aws.ts';

export type HttpRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  sourceIp: string;
};
export type HttpReply = { status: number; headers: Record<string, string>; body: string };

type CompiledRoute = { route: Route; pattern: RegExp; names: string[] };

const compile = (route: Route): CompiledRoute => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        names.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names };
};

/** The shape API Gateway answers with when the authorizer or routing refuses. */
export const gatewayError = (
  status: number,
  code: string,
  message: string,
  correlationId: string,
): HttpReply => ({
  status,
  headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': correlationId },
  body: JSON.stringify({
    '@type': 'Error',
    code,
    reason: code,
    message,
    status: String(status),
    correlationId,
  }),
});

/**
 * What API Gateway answers when the Lambda integration fails: a throttled function is the
 * INTEGRATION_FAILURE gateway response (configured as 429 + Retry-After in infra/constructs/api.ts),
 * a function error is 502.
 */
const integrationFailure = (error: unknown, correlationId: string): HttpReply => {
  if (error instanceof LambdaThrottled) {
    const reply = gatewayError(
      429,
      'TOO_MANY_REQUESTS',
      'The function is at its concurrency limit',
      correlationId,
    );
    return { ...reply, headers: { ...reply.headers, 'Retry-After': '1' } };
  }
  if (error instanceof InjectedIntegrationResponse)
    return gatewayError(error.statusCode, 'INTEGRATION_RESPONSE', error.message, correlationId);
  return gatewayError(502, 'BAD_GATEWAY', 'The function failed', correlationId);
};

type AuthorizerResult = {
  principalId: string;
  policyDocument: { Statement: { Effect: string }[] };
  context?: Record<string, string | number | boolean>;
};

/** Emulates the REST API: routing from the topology, the same authorizer, proxy events. */
export class LocalApiGateway {
  private readonly routes = api.routes.map(compile);

  constructor(private readonly runtime: LambdaRuntime) {}

  matches(method: string, path: string): boolean {
    return this.routes.some((r) => r.route.method === method && r.pattern.test(path));
  }

  async handle(req: HttpRequest): Promise<HttpReply> {
    const correlationId = req.headers['x-correlation-id'] ?? randomUUID();
    let match: { compiled: CompiledRoute; values: string[] } | undefined;
    let pathKnown = false;
    for (const compiled of this.routes) {
      const m = compiled.pattern.exec(req.path);
      if (!m) continue;
      pathKnown = true;
      if (compiled.route.method === req.method) {
        match = { compiled, values: m.slice(1).map(decodeURIComponent) };
        break;
      }
    }
    if (!match) {
      return pathKnown
        ? gatewayError(
            405,
            'METHOD_NOT_ALLOWED',
            `${req.method} is not allowed on ${req.path}`,
            correlationId,
          )
        : gatewayError(404, 'NOT_FOUND', `No route for ${req.path}`, correlationId);
    }
    const { route, names } = match.compiled;
    const requestId = randomUUID();
    let authorizer: Record<string, unknown> | undefined;
    if (!route.public) {
      const decision = await this.authorize(req, route);
      if (decision === 'unauthorized')
        return gatewayError(401, 'UNAUTHORIZED', 'Missing or invalid token', correlationId);
      if (decision === 'denied') return gatewayError(403, 'FORBIDDEN', 'Access denied', correlationId);
      authorizer = decision;
    }
    const pathParameters = Object.fromEntries(names.map((n, i) => [n, match.values[i] ?? '']));
    const query = Object.fromEntries(req.query.entries());
    const event = {
      resource: route.path,
      path: req.path,
      httpMethod: req.method,
      headers: req.headers,
      multiValueHeaders: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: Object.keys(query).length
        ? Object.fromEntries([...req.query.keys()].map((k) => [k, req.query.getAll(k)]))
        : null,
      pathParameters: names.length ? pathParameters : null,
      stageVariables: null,
      requestContext: {
        accountId: localAccount,
        apiId: 'local',
        authorizer: authorizer ?? null,
        protocol: 'HTTP/1.1',
        httpMethod: req.method,
        identity: { sourceIp: req.sourceIp },
        path: `/local${req.path}`,
        stage: 'local',
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: 'local',
        resourcePath: route.path,
      },
      body: req.body === '' ? null : req.body,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent;
    let result: APIGatewayProxyResult;
    try {
      result = await this.runtime.invoke<APIGatewayProxyResult>(route.function, event);
    } catch (error) {
      return integrationFailure(error, correlationId);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    return { status: result.statusCode, headers, body: result.body ?? '' };
  }

  private async authorize(
    req: HttpRequest,
    route: Route,
  ): Promise<Record<string, unknown> | 'unauthorized' | 'denied'> {
    const token = req.headers.authorization;
    if (!token) return 'unauthorized';
    const event: APIGatewayTokenAuthorizerEvent = {
      type: 'TOKEN',
      authorizationToken: token,
      methodArn: `arn:aws:execute-api:${localRegion}:${localAccount}:local/local/${route.method}${req.path}`,
    };
    try {
      const result = await this.runtime.invoke<AuthorizerResult>(api.authorizer, event);
      if (result.policyDocument.Statement.some((s) => s.Effect !== 'Allow')) return 'denied';
      return { ...(result.context ?? {}), principalId: result.principalId };
    } catch {
      return 'unauthorized';
    }
  }
}
