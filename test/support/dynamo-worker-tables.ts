import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTables } from '#local/dynamo';
import { localCredentials, localRegion } from '#local/local-aws';
import { resourceEnv, type TableName, tables } from '#topology';
import { integrationTableNames } from './dynamo-global-setup.ts';

/**
 * Each worker of the integration project gets tables of its own: files in one worker run one after
 * another as they always did, and a file in the other worker (rebuilds, checksums over a whole
 * table, pointers per view) never sees its writes.
 */
const worker = process.env.VITEST_POOL_ID ?? '1';
const names = Object.fromEntries(
  Object.entries(integrationTableNames).map(([name, physical]) => [name, `${physical}-w${worker}`]),
) as Record<TableName, string>;
for (const name of Object.keys(names) as TableName[]) process.env[resourceEnv.tables[name]] = names[name];

const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: localRegion,
  credentials: localCredentials,
});
try {
  await ensureTables(
    client,
    Object.fromEntries((Object.keys(names) as TableName[]).map((name) => [names[name], tables[name]])),
  );
} finally {
  client.destroy();
}
