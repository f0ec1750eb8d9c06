import type { APIGatewayProxyResult } from 'aws-lambda';
import { reasonOf } from './gateway-responses.ts';

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
  headers: { 'Content-Type': 'application/json', ...headers },
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
