import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTables } from '#local/dynamo';
import { localCredentials, localRegion } from '#local/local-aws';
import {
  DownstreamSimulator,
  FaultOutsideWindow,
  simulatorTable,
  simulatorTableSpec,
} from '#local/simulators';

/** The downstream simulators against DynamoDB Local: the late commit and every fault mode. */
const dynamo = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: localRegion,
  credentials: localCredentials,
});
const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
const WINDOW_MS = 3000;
const sim = () => new DownstreamSimulator('provisioning', doc, 50, WINDOW_MS);

const request = (correlationId = `ful-${randomUUID()}`, orderId = `po-${randomUUID()}`) => ({
  correlationId,
  orderId,
  taskId: '1-ACCESS_PROVISION',
  action: 'ACCESS_PROVISION',
  payload: {},
});

beforeAll(async () => {
  await ensureTables(dynamo, { [simulatorTable]: simulatorTableSpec });
});
afterAll(() => dynamo.destroy());

describe('downstream simulator', () => {
  it('commit-late: a query right after the request finds nothing; once committed it finds it done', async () => {
    const s = sim();
    s.setFault({ mode: 'commit-late', count: 1, delayMs: 600 });
    const body = request();
    const answer = s.request(body, body.correlationId);
    expect((await s.query(body.correlationId)).status).toBe(404);
    const reply = await answer;
    expect(reply.status).toBe(201);
    const found = await s.query(body.correlationId);
    expect(found).toMatchObject({
      status: 200,
      body: {
        status: 'COMPLETED',
        count: 1,
        completedRefs: [(reply.body as { downstreamRef: string }).downstreamRef],
      },
    });
    const [effect] = await s.records({ correlationId: body.correlationId });
    expect(Date.parse(effect!.committedAt) - Date.parse(effect!.receivedAt)).toBeGreaterThanOrEqual(600);
  });

  it('refuses a commit lag that would break its in-flight window', () => {
    const s = sim();
    expect(() => s.setFault({ mode: 'commit-late', count: 1, delayMs: 2000, jitterMs: 1000 })).toThrow(
      FaultOutsideWindow,
    );
    expect(s.currentFault.mode).toBe('none');
    s.setFault({ mode: 'commit-late', count: 1, delayMs: 2000, jitterMs: 999 });
    expect(s.currentFault.mode).toBe('commit-late');
  });

  it('records the Idempotency-Key it got but deliberately does not deduplicate', async () => {
    const s = sim();
    const body = request();
    await s.request(body, body.correlationId);
    await s.request(body, body.correlationId);
    const effects = await s.records({ orderId: body.orderId });
    expect(effects).toHaveLength(2);
    expect(effects.map((e) => e.idempotencyKey)).toEqual([body.correlationId, body.correlationId]);
    expect((await s.query(body.correlationId)).body).toMatchObject({ count: 2 });
  });

  it('keeps the other fault modes: 5xx and reject do nothing, slow is pending until done, late answers', async () => {
    const s = sim();
    s.setFault({ mode: 'error-5xx', count: 1 });
    const failed = request();
    expect((await s.request(failed)).status).toBe(503);
    s.setFault({ mode: 'reject', count: 1 });
    expect((await s.request(failed)).status).toBe(422);
    expect((await s.query(failed.correlationId)).status).toBe(404);

    s.setFault({ mode: 'slow', count: 1, delayMs: 400 });
    const slow = request();
    const slowAnswer = s.request(slow);
    await new Promise((r) => setTimeout(r, 150));
    expect((await s.query(slow.correlationId)).body).toMatchObject({
      status: 'IN_PROGRESS',
      completedRefs: [],
    });
    await slowAnswer;
    expect((await s.query(slow.correlationId)).body).toMatchObject({ status: 'COMPLETED' });

    s.setFault({ mode: 'timeout-after-accept', count: 1 });
    const late = request();
    expect(await s.request(late)).toMatchObject({ status: 201, delayMs: 50 });
    expect((await s.query(late.correlationId)).body).toMatchObject({ status: 'COMPLETED' });

    s.setFault({ mode: 'lose-response', count: 1 });
    const lost = request();
    expect(await s.request(lost)).toMatchObject({ neverAnswer: true });
    expect((await s.query(lost.correlationId)).body).toMatchObject({ status: 'COMPLETED' });
  });
});
