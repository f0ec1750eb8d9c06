import { localCredentials, localRegion } from '#local/local-aws';
import { physicalTableNames } from '#local/local-stack';
import { resourceEnv } from '#topology';
import { client } from './api-client.ts';

/**
 * Points this test process's SDK clients at the shared stack's own DynamoDB (its endpoint is
 * on /health), for tests that plant drift directly in the tables or read them back.
 */
export const useStackTables = async (): Promise<void> => {
  const health = await client().get('/health', { token: 'local-ops' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: health.body.components.dynamodb.endpoint,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    [resourceEnv.tables.aggregates]: physicalTableNames.aggregates,
    [resourceEnv.tables.readModels]: physicalTableNames.readModels,
  });
};
