import type { APIGatewayProxyResult } from 'aws-lambda';

/** Liveness of the API in AWS; the local stack answers /health itself with every component. */
export const handler = async (): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ status: 'ok' }),
});
