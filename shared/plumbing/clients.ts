import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkMaxAttempts, sdkRequestHandler, timeoutsNotRetried } from './sdk-timeouts.ts';

/**
 * One DynamoDB client per runtime. Endpoints come from the SDK's own configuration
 * (`AWS_ENDPOINT_URL_DYNAMODB`, ...), so the local stack differs only in environment.
 * The EventBridge and Step Functions clients live in their own modules: a handler loads at
 * init only the SDK clients it uses.
 */
let dynamo: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;

export const dynamoClient = (): DynamoDBClient => {
  dynamo ??= timeoutsNotRetried(
    new DynamoDBClient({ maxAttempts: sdkMaxAttempts, requestHandler: sdkRequestHandler() }),
  );
  return dynamo;
};

export const documentClient = (): DynamoDBDocumentClient => {
  doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return doc;
};
