import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { answered, correlationIdOf, errorResponse } from '#plumbing/http/responses';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * `GET /ops/console[/{asset}]`: the ops console's static files (console/, shipped beside the
 * bundle in Lambda). The page holds no data: it asks for the operator's token and calls the ops
 * and view routes with it, so the authorizer and role checks guard everything it shows.
 */
const dir = process.env.LAMBDA_TASK_ROOT
  ? join(process.env.LAMBDA_TASK_ROOT, 'console')
  : fileURLToPath(new URL('../../console/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const assets = new Map(
  readdirSync(dir)
    .filter((f) => contentTypes[extname(f)])
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
);

const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
};

const serve = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const name = event.pathParameters?.asset ?? 'index.html';
  const body = assets.get(name);
  const correlationId = correlationIdOf(event);
  if (!body)
    return answered(
      correlationId,
      errorResponse(404, 'NOT_FOUND', `No console asset ${name}`, correlationId),
    );
  return answered(correlationId, {
    statusCode: 200,
    headers: { 'Content-Type': contentTypes[extname(name)]!, ...securityHeaders },
    body,
  });
};

export const handler = withObservability(serve);
