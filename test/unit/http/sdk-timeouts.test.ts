import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDependencyOutage } from '#plumbing/dependency-outage';
import { sdkRequestHandler, timeoutsNotRetried } from '#plumbing/sdk-timeouts';

/** A DynamoDB endpoint that takes every request and answers none (`hang`) or each with a 500. */
let server: Server;
let url: string;
let mode: 'hang' | 'fail' = 'hang';
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    if (mode === 'fail') {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' }),
      );
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  delete process.env.SDK_REQUEST_TIMEOUT_MS;
  server.closeAllConnections();
  server.close();
});

const client = () => {
  process.env.SDK_REQUEST_TIMEOUT_MS = '300';
  return timeoutsNotRetried(
    new DynamoDBClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 3,
      requestHandler: sdkRequestHandler(),
    }),
  );
};

/** One ListTables call against the endpoint in `endpointMode`; its error. */
const listTablesWhile = async (endpointMode: typeof mode) => {
  mode = endpointMode;
  requests = 0;
  return client()
    .send(new ListTablesCommand({}))
    .catch((e: unknown) => e);
};

describe('SDK clients against a hung dependency', () => {
  it('fail a request that gets no answer within the request timeout, once, as a dependency outage', async () => {
    const error = await listTablesWhile('hang');
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(requests).toBe(1);
    expect(await isDependencyOutage(error)).toBe(true);
  });

  it('still retry server errors as the SDK’s standard mode does', async () => {
    const error = await listTablesWhile('fail');
    expect(error).toMatchObject({ name: 'InternalServerError' });
    expect(requests).toBe(3);
  });
});
