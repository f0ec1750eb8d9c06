/**
 * The init anchor: a minimal Powertools + middy + DynamoDB handler. The bench bundles it with
 * the same options as the real handlers and reports their init time as a ratio to it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';

const logger = new Logger();
const metrics = new Metrics();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = middy(async (event: { id: string }) => {
  const { Item } = await documents.send(
    new GetCommand({ TableName: process.env.AGGREGATES_TABLE, Key: { pk: event.id, sk: 'A' } }),
  );
  return { statusCode: 200, body: JSON.stringify(Item ?? null) };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
