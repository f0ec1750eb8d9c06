import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiAnswerHeaders, reasonOf } from './gateway-responses.ts';
import { lowerCaseHeaders, validCorrelationId } from './request.ts';

/** The media type the TMF documents declare for every TMF resource and error. */
export const TMF_MEDIA_TYPE = 'application/json;charset=utf-8';
export const isTmfPath = (path: string) => path.startsWith('/tmf-api/');

export type HttpResult = APIGatewayProxyResult & { headers: Record<string, string> };

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...apiAnswerHeaders, ...headers },
  body: JSON.stringify(body),
});

export type ErrorBody = {
  code: string;
  reason: string;
  message: string;
  status: string;
  correlationId: string;
  details?: Record<string, unknown>;
};

/** TMF Error shape plus our correlation id. `reason` is the short human label of the code. */
export const errorResponse = (
  status: number,
  code: string,
  message: string,
  correlationId: string,
  details?: Record<string, unknown>,
  headers: Record<string, string> = {},
): HttpResult =>
  json(
    status,
    {
      '@type': 'Error',
      code,
      reason: reasonOf(code),
      message,
      status: String(status),
      correlationId,
      ...(details && Object.keys(details).length > 0 ? { details } : {}),
    } satisfies ErrorBody & { '@type': string },
    headers,
  );

/** The correlation id of a request answered outside `apiHandler`: the client's if harmless, else new. */
export const correlationIdOf = (event: Partial<APIGatewayProxyEvent> | undefined): string => {
  const incoming = event ? lowerCaseHeaders(event as APIGatewayProxyEvent)['x-correlation-id'] : undefined;
  return validCorrelationId(incoming) ? incoming : randomUUID();
};

/** An answer of a handler without `apiHandler` (health, OpenAPI, console, route fallbacks) with the API's headers. */
export const answered = (correlationId: string, result: APIGatewayProxyResult): HttpResult => ({
  ...result,
  headers: {
    ...Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    ...apiAnswerHeaders,
    'X-Correlation-Id': correlationId,
  },
});

/** A route fallback's 404 in the error shape. */
export const notFound = (event: Partial<APIGatewayProxyEvent> | undefined, message: string): HttpResult => {
  const correlationId = correlationIdOf(event);
  return answered(correlationId, errorResponse(404, 'NOT_FOUND', message, correlationId));
};
