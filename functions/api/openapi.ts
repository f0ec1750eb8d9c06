import type { APIGatewayProxyEvent } from 'aws-lambda';
import { env } from '#plumbing/env';
import { openApiDocument } from '#plumbing/http/openapi-document';
import { answered, correlationIdOf, type HttpResult } from '#plumbing/http/responses';

let body: string | undefined;

export const handler = async (event?: APIGatewayProxyEvent): Promise<HttpResult> => {
  body ??= JSON.stringify(openApiDocument(env.publicBaseUrl()));
  return answered(correlationIdOf(event), {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body,
  });
};
