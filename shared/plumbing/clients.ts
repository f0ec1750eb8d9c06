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

/** How items are turned into DynamoDB's attribute values (also to size them before a write). */
export const marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: true };

export const documentClient = (): DynamoDBDocumentClient => {
  // A copy: the document client sets options of its own on the object it is given.
  doc ??= DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions: { ...marshallOptions } });
  return doc;
};
