import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ReadAudit, withinFunction } from '#local/read-audit';
import { env } from '#plumbing/env';

/** The recorder the e2e stack installs on the handlers' client, against DynamoDB Local. */
describe('full-read audit of request handlers', () => {
  const base = new DynamoDBClient({});
  const audit = new ReadAudit();
  audit.install(base);
  const doc = DynamoDBDocumentClient.from(base);
  const table = () => env.table('aggregates');
  const query = (limit?: number) =>
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'nothing' },
      ...(limit ? { Limit: limit } : {}),
    });

  it('records a Scan and a Query without Limit from a request handler, with the function and table', async () => {
    await withinFunction('order-list', () => doc.send(new ScanCommand({ TableName: table(), Limit: 1 })));
    await withinFunction('view-get', () => doc.send(query()));
    expect(audit.fullReads).toMatchObject([
      { function: 'order-list', command: 'ScanCommand', table: table() },
      { function: 'view-get', command: 'QueryCommand', table: table() },
    ]);
  });

  it('does not record a limited Query, nor reads outside request handlers (workflow steps, tools)', async () => {
    const before = audit.fullReads.length;
    await withinFunction('order-list', () => doc.send(query(10)));
    await withinFunction('reconciliation-segment', () => doc.send(query()));
    await doc.send(query());
    expect(audit.fullReads.length).toBe(before);
  });
});
