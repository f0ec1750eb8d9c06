import type { APIGatewayProxyResult } from 'aws-lambda';
import { env } from '#plumbing/env';
import { openApiDocument } from '#plumbing/http/openapi-document';

let body: string | undefined;

export const handler = async (): Promise<APIGatewayProxyResult> => {
  body ??= JSON.stringify(openApiDocument(env.publicBaseUrl()));
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body };
};
