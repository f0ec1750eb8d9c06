import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { projectForRole } from '#domain/access/role-projection';
import type { Actor, Role } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { emitRefusal } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';
import { publishRefusal } from '#plumbing/refusal-publisher';
import { api } from '#topology';
import { mapThrown } from './error-mapping.ts';
import { apiAnswerHeaders } from './gateway-responses.ts';
import { HttpError } from './http-error.ts';
import { principalOf } from './principal.ts';
import { jsonNestsDeeperThan, lowerCaseHeaders, validCorrelationId, validIdempotencyKey } from './request.ts';
import { errorResponse, type HttpResult, isTmfPath, json, TMF_MEDIA_TYPE } from './responses.ts';

export type ApiRequest<B> = {
  body: B;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  principal: Actor;
  correlationId: string;
  /** Request time, the only clock the domain sees. */
  now: string;
};

export type ApiResponse = { status: number; body?: unknown; headers?: Record<string, string> };

export type ApiSpec<B> = {
  /** Idempotency scope and metric dimension, e.g. `quote-create`. */
  operation: string;
  roles: readonly Role[];
  /**
   * State-changing POSTs require an Idempotency-Key and replay their first response: set by
   * `commandHandler` (#plumbing/http/command-handler), so only command functions load the layer.
   */
  idempotency?: (operation: string) => MiddlewareObj;
  body?: z.ZodMiniType<B>;
  /**
   * The client's own identity of the request (TMF: `externalId`, or what names a cancellation or
   * a subscription). A request without Idempotency-Key that carries it is idempotent on it,
   * within the caller's channel; without either it is refused.
   */
  clientIdentity?: (body: B, params: Record<string, string>) => string | undefined;
  handle: (request: ApiRequest<B>) => Promise<ApiResponse>;
};

/** What the idempotency layer hashes: who, which key, and the parsed (canonical) request. */
export type CommandEnvelope = {
  principalId: string;
  idempotencyKey: string;
  params: Record<string, string>;
  body: unknown;
  /** Set when the client's identity stands in for the Idempotency-Key. */
  identity?: string;
};
type ApiEvent = APIGatewayProxyEvent & { command?: CommandEnvelope; prepared?: ApiRequest<unknown> };

const requestScope = new AsyncLocalStorage<{ correlationId: string }>();
export const currentCorrelationId = (): string | undefined => requestScope.getStore()?.correlationId;

/** One entry per field; an attribute the API does not keep is named on its own, so a client sees what it lost. */
export const fieldErrors = (error: z.core.$ZodError) =>
  error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ field: [...i.path, key].join('.'), message: 'not supported by this API' }))
      : [{ field: i.path.join('.') || '(body)', message: i.message }],
  );

const idPattern = new RegExp(api.limits.idPattern);

/** Size and nesting first: nothing parses, hashes or stores a body that breaks them. */
const checkBodyLimits = (raw: string | null): void => {
  if (!raw) return;
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > api.limits.maxBodyBytes) {
    throw new HttpError(
      413,
      'PAYLOAD_TOO_LARGE',
      `Request body is larger than ${api.limits.maxBodyBytes} bytes`,
      {
        maxBytes: api.limits.maxBodyBytes,
      },
    );
  }
  if (jsonNestsDeeperThan(raw, api.limits.maxJsonDepth)) {
    throw new HttpError(
      400,
      'MALFORMED_REQUEST',
      `JSON nested deeper than ${api.limits.maxJsonDepth} levels`,
      {
        fields: [{ field: '(body)', message: `nesting deeper than ${api.limits.maxJsonDepth}` }],
      },
    );
  }
};

/** Every id in a path has the contract's shape; anything else cannot name a resource. */
const checkPathIds = (params: Record<string, string>): void => {
  const bad = Object.entries(params).filter(([, value]) => !idPattern.test(value));
  if (bad.length > 0) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'Malformed id in the path', {
      fields: bad.map(([name]) => ({
        field: `path.${name}`,
        message: 'letters, digits and ._:~- only, at most 128 characters',
      })),
    });
  }
};

const parseBody = <B>(spec: ApiSpec<B>, raw: string | null): B => {
  if (!spec.body) return undefined as B;
  let parsed: unknown;
  try {
    parsed = raw ? JSON.parse(raw) : {};
  } catch {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'Request body is not valid JSON', {
      fields: [{ field: '(body)', message: 'invalid JSON' }],
    });
  }
  const result = spec.body.safeParse(parsed);
  if (!result.success) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'Request body failed validation', {
      fields: fieldErrors(result.error),
    });
  }
  return result.data;
};

/** Auth, input and key checks: all refusals here happen before anything is written or reserved. */
const boundary = <B>(spec: ApiSpec<B>): MiddlewareObj<ApiEvent, HttpResult> => ({
  before: (request) => {
    const event = request.event;
    const correlationId = currentCorrelationId() ?? randomUUID();
    logger.appendKeys({ correlationId, operation: spec.operation });
    const principal = principalOf(event);
    if (!spec.roles.includes(principal.role)) {
      throw new HttpError(403, 'FORBIDDEN', `Role ${principal.role} may not ${spec.operation}`);
    }
    const headers = lowerCaseHeaders(event);
    const params = (event.pathParameters ?? {}) as Record<string, string>;
    checkPathIds(params);
    checkBodyLimits(event.body);
    const body = parseBody(spec, event.body);
    if (spec.idempotency) {
      const key = headers['idempotency-key'];
      const identity = key === undefined ? spec.clientIdentity?.(body, params) : undefined;
      if (identity !== undefined) {
        event.command = {
          principalId: `channel:${principal.channelId}`,
          idempotencyKey: createHash('sha256').update(identity).digest('hex'),
          params,
          body,
          identity,
        };
      } else if (!validIdempotencyKey(key)) {
        throw new HttpError(
          400,
          'IDEMPOTENCY_KEY_MISSING',
          'Idempotency-Key header (1 to 255 printable ASCII characters) is required',
          { fields: [{ field: 'Idempotency-Key', message: key === undefined ? 'missing' : 'malformed' }] },
        );
      } else {
        event.command = { principalId: principal.principalId, idempotencyKey: key, params, body };
      }
    }
    event.prepared = {
      body,
      params,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      headers,
      principal,
      correlationId,
      now: new Date().toISOString(),
    };
  },
  onError: async (request) => {
    const correlationId = currentCorrelationId() ?? 'unknown';
    const identity = request.event.command?.identity;
    if (identity !== undefined && request.error?.name === 'IdempotencyValidationError') {
      request.response = errorResponse(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        `This request's identity (${identity.split(':')[0]}) was already used with a different request`,
        correlationId,
      );
      return;
    }
    request.response = await mapThrown(request.error, correlationId, spec.operation);
  },
});

const toResult = (r: ApiResponse): HttpResult =>
  r.body === undefined
    ? { statusCode: r.status, headers: { ...(r.headers ?? {}) }, body: '' }
    : json(r.status, r.body, r.headers);

/**
 * Business refusals (404, 412, 422 and the conversion 409) are answers: they are returned, so
 * idempotency stores and replays them. Version conflicts and outages are thrown: the
 * idempotency record is released and the client may retry with the same key.
 */
const core =
  <B>(spec: ApiSpec<B>) =>
  async (event: ApiEvent): Promise<HttpResult> => {
    const prepared = event.prepared as ApiRequest<B>;
    try {
      const response = await spec.handle(prepared);
      const role = prepared.principal?.role;
      return toResult(
        role && response.body !== undefined
          ? { ...response, body: projectForRole(role, response.body) }
          : response,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code !== 'VERSION_CONFLICT') {
        emitRefusal(spec.operation, error.code);
        logger.info('command refused', { code: error.code });
        await publishRefusal({
          operation: spec.operation,
          code: error.code,
          aggregateId: Object.values(prepared.params)[0] ?? null,
          channelId: prepared.principal.channelId,
          correlationId: prepared.correlationId,
          at: prepared.now,
        });
        return errorResponse(error.status, error.code, error.message, prepared.correlationId, error.details);
      }
      throw error;
    }
  };

export const apiHandler = <B = undefined>(spec: ApiSpec<B>) => {
  const chain = withObservability(core(spec)).use(boundary(spec));
  if (spec.idempotency) chain.use(spec.idempotency(spec.operation));
  return async (event: APIGatewayProxyEvent, context: Context): Promise<HttpResult> => {
    const incoming = lowerCaseHeaders(event)['x-correlation-id'];
    const correlationId = validCorrelationId(incoming) ? incoming : randomUUID();
    const result = await requestScope.run({ correlationId }, () => chain(event as ApiEvent, context));
    const headers: Record<string, string> = {
      ...(result.headers ?? {}),
      ...apiAnswerHeaders,
      'X-Correlation-Id': correlationId,
    };
    // The TMF documents declare this media type for every TMF resource and error.
    if (isTmfPath(event.resource ?? event.path ?? '') && headers['Content-Type'] === 'application/json')
      headers['Content-Type'] = TMF_MEDIA_TYPE;
    return { ...result, headers };
  };
};
