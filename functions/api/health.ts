import type { APIGatewayProxyEvent } from 'aws-lambda';
import { answered, correlationIdOf, json } from '#plumbing/http/responses';

/** Liveness of the API in AWS; the local stack answers /health itself from its components. */
export const handler = async (event?: APIGatewayProxyEvent) =>
  answered(correlationIdOf(event), json(200, { status: 'ok', degraded: [] }));
