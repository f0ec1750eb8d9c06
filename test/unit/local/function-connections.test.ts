import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsPerFunction } from '#local/function-connections';
import { invocationScope } from '#local/invocation-scope';
import type { FunctionName } from '#topology';

/**
 * A stand-in endpoint that holds every request of the busy function until released, and answers
 * the others at once: what a flood does to a shared connection pool.
 */
const held: ServerResponse[] = [];
const seen: string[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const fn = String(req.headers['x-fn']);
  seen.push(fn);
  req.resume();
  req.on('end', () => {
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
    };
    if (fn === 'busy') held.push(Object.assign(res, { answer }));
    else answer();
  });
});
let client: DynamoDBClient;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  // Tags each request with the function it runs in, so the endpoint can tell them apart.
  client.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-fn'] =
        invocationScope.getStore() ?? '';
      return next(args);
    },
    { step: 'build' },
  );
  connectionsPerFunction(client);
});
afterAll(async () => {
  for (const res of held) (res as unknown as { answer: () => void }).answer();
  client.destroy();
  await new Promise((r) => server.close(r));
});

const get = (fn: string) =>
  invocationScope.run(fn as FunctionName, () =>
    client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: fn } } })),
  );

describe('local SDK connections per function', () => {
  it('serves a function at once while another holds every connection of its own pool', async () => {
    // More requests than the SDK's pool of 50 sockets, all held by the endpoint.
    const busy = Array.from({ length: 60 }, () => get('busy'));
    await expect.poll(() => held.length, { timeout: 10_000 }).toBe(50);
    // The quiet function's call completes while the busy one's are still held.
    await get('quiet');
    expect(held.length).toBe(50);
    expect(seen.filter((f) => f === 'quiet')).toHaveLength(1);
    for (const res of held.splice(0)) (res as unknown as { answer: () => void }).answer();
    await expect.poll(() => held.length, { timeout: 10_000 }).toBe(10);
    for (const res of held.splice(0)) (res as unknown as { answer: () => void }).answer();
    await Promise.all(busy);
  });
});
