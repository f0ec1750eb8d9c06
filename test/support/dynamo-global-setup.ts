import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';
import { ensureTables, startDynamo } from '#local/dynamo';
import { localCredentials, localRegion } from '#local/local-aws';
import { resourceEnv, type TableName, tables } from '#topology';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Physical names for integration tests: distinct from the local stack's, same specs. */
export const integrationTableNames: Record<TableName, string> = {
  aggregates: 'it-aggregates',
  idempotency: 'it-idempotency',
  readModels: 'it-read-models',
  search: 'it-search',
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/** One DynamoDB Local for the integration project; tables from the topology's specs. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamo({ port: await freePort() });
  const env = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    [resourceEnv.tables.aggregates]: integrationTableNames.aggregates,
    [resourceEnv.tables.idempotency]: integrationTableNames.idempotency,
    [resourceEnv.tables.readModels]: integrationTableNames.readModels,
    [resourceEnv.tables.search]: integrationTableNames.search,
    POWERTOOLS_METRICS_NAMESPACE: 'CpqOmsTest',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_DEV: 'true',
  };
  Object.assign(process.env, env);
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    await ensureTables(
      client,
      Object.fromEntries(
        Object.entries(tables).map(([name, spec]) => [integrationTableNames[name as TableName], spec]),
      ),
    );
  } finally {
    client.destroy();
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
