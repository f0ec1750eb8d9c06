import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  allowedMethodsByPath,
  type GatewayAnswer,
  type GatewayAnswerType,
  gatewayAnswers,
  gatewayErrorBody,
  methodNotAllowed,
} from '#plumbing/http/gateway-responses';
import { isTmfPath, TMF_MEDIA_TYPE } from '#plumbing/http/responses';
import { api, type Route, usageKeyOf } from '#topology';
import { methodArnOf } from './gateway-policy.ts';
import { InjectedIntegrationResponse, type LambdaRuntime, LambdaThrottled } from './lambda-runtime.ts';
import { localAccount, localRegion } from './local-aws.ts';
import { LocalTokenAuthorizer } from './token-authorizer.ts';
import { UsagePlans } from './usage-plans.ts';

/** The local REST API's id in method ARNs (`arn:aws:execute-api:{region}:{account}:{apiId}/…`). */
export const localApiId = 'localapi01';

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

/** Path parameter values as API Gateway passes them: percent-decoded; a bad encoding is 400. */
const decodeAll = (raw: string[]): string[] | undefined => {
  try {
    return raw.map(decodeURIComponent);
  } catch {
    return undefined;
  }
};

/** An error in the contract's shape, as the local-only routes answer (health, simulators, faults). */
export const gatewayError = (
  status: number,
  code: string,
  message: string,
  correlationId: string,
  headers: Record<string, string> = {},
): HttpReply => ({
  status,
  headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': correlationId, ...headers },
  body: JSON.stringify(gatewayErrorBody({ status, code, message }, correlationId)),
});

/** One of API Gateway's own answers (GatewayResponses in CDK); its correlation id is the request id. */
const gatewayAnswer = (type: GatewayAnswerType, requestId: string, headers: Record<string, string> = {}) => {
  const answer: GatewayAnswer = gatewayAnswers[type];
  return gatewayError(answer.status, answer.code, answer.message, requestId, headers);
};

/**
 * What API Gateway answers when the Lambda integration fails: a function at its reserved
 * concurrency (bulkhead) is the INTEGRATION_FAILURE gateway response (429 + Retry-After); an
 * injected integration response keeps its status; a function error or a function past its
 * timeout (Lambda reports both as a function error) is 502.
 */
const integrationFailure = (error: unknown, requestId: string): HttpReply => {
  if (error instanceof LambdaThrottled)
    return gatewayAnswer('INTEGRATION_FAILURE', requestId, { 'Retry-After': '1' });
  if (error instanceof InjectedIntegrationResponse)
    return gatewayError(error.statusCode, 'INTEGRATION_RESPONSE', error.message, requestId);
  return gatewayError(502, 'BAD_GATEWAY', 'The function failed', requestId);
};

/** Lambda's synchronous invocation payload limit: a larger request never reaches a handler. */
export const maxProxyRequestBytes = 6 * 1024 * 1024;

export type LocalApiGatewayOptions = {
  /** Multiplies every usage plan limit (1 = what the CDK app deploys). */
  throttleScale?: number;
};

/**
 * Emulates the REST API: routing from the topology, the TOKEN authorizer with its cache and
 * IAM policy evaluation, per-channel usage plans, proxy events, and API Gateway's own answers.
 */
export class LocalApiGateway {
  private readonly routes = api.routes.map(compile);
  private readonly allowed = allowedMethodsByPath(api.routes);
  readonly authorizer: LocalTokenAuthorizer;
  private readonly usage: UsagePlans;

  constructor(
    private readonly runtime: LambdaRuntime,
    options: LocalApiGatewayOptions = {},
  ) {
    this.authorizer = new LocalTokenAuthorizer(runtime);
    this.usage = new UsagePlans(
      new Map(Object.entries(api.usagePlans).map(([channel, plan]) => [usageKeyOf(channel), plan])),
      options.throttleScale ?? 1,
    );
  }

  matches(method: string, path: string): boolean {
    return this.routes.some((r) => r.route.method === method && r.pattern.test(path));
  }

  async handle(req: HttpRequest): Promise<HttpReply> {
    const requestId = randomUUID();
    const refuse = (type: GatewayAnswerType, headers: Record<string, string> = {}) =>
      gatewayAnswer(type, requestId, headers);
    if (Buffer.byteLength(req.body) > maxProxyRequestBytes) return refuse('REQUEST_TOO_LARGE');
    let match: { compiled: CompiledRoute; raw: string[] } | undefined;
    for (const compiled of this.routes) {
      const m = compiled.pattern.exec(req.path);
      if (m && compiled.route.method === req.method) {
        match = { compiled, raw: m.slice(1) };
        break;
      }
    }
    if (!match) {
      // A known resource answers other methods from its ANY mock method: 405 with Allow.
      const resource = this.routes.find((r) => r.pattern.test(req.path));
      const allow = resource && this.allowed.get(resource.route.path);
      if (allow) {
        const { status, code, message } = methodNotAllowed;
        return gatewayError(status, code, message, requestId, {
          Allow: allow,
          ...(isTmfPath(req.path) ? { 'Content-Type': TMF_MEDIA_TYPE } : {}),
        });
      }
      // API Gateway answers MissingAuthenticationToken for any path it has no resource for.
      return refuse('MISSING_AUTHENTICATION_TOKEN');
    }
    const values = decodeAll(match.raw);
    if (!values) return refuse('BAD_REQUEST_PARAMETERS');
    const { route, names } = match.compiled;
    let authorizer: Record<string, unknown> | undefined;
    if (!route.public) {
      const methodArn = methodArnOf(localRegion, localAccount, localApiId, api.stage, req.method, req.path);
      const decision = await this.authorizer.authorize(req.headers.authorization, methodArn);
      if (decision.kind === 'unauthorized') return refuse('UNAUTHORIZED');
      if (decision.kind === 'denied') return refuse('ACCESS_DENIED');
      if (decision.kind === 'failed') return refuse(decision.type);
      const usageKey = decision.result.usageIdentifierKey ?? '';
      if (!this.usage.has(usageKey)) return refuse('INVALID_API_KEY');
      const usage = this.usage.take(usageKey, `${route.method} ${route.path}`);
      if (!usage.ok) {
        return refuse(usage.code === 'QUOTA_EXCEEDED' ? 'QUOTA_EXCEEDED' : 'THROTTLED', {
          'Retry-After': String(usage.retryAfterSeconds),
        });
      }
      authorizer = { ...(decision.result.context ?? {}), principalId: decision.result.principalId };
    }
    const pathParameters = Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
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
        apiId: localApiId,
        authorizer: authorizer ?? null,
        protocol: 'HTTP/1.1',
        httpMethod: req.method,
        identity: { sourceIp: req.sourceIp },
        path: `/${api.stage}${req.path}`,
        stage: api.stage,
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
      result = await this.runtime.invoke<APIGatewayProxyResult>(route.function, event, {
        apiMethod: { method: req.method, path: req.path },
      });
    } catch (error) {
      return integrationFailure(error, requestId);
    }
    if (typeof result?.statusCode !== 'number')
      return gatewayError(502, 'BAD_GATEWAY', 'The function answered no status', requestId);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    return { status: result.statusCode, headers, body: result.body ?? '' };
  }
}
