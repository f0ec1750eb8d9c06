import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One client of each kind per runtime. Endpoints come from the SDK's own configuration
 * (`AWS_ENDPOINT_URL_DYNAMODB`, ...), so the local stack differs only in environment.
 */
let dynamo: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
let events: EventBridgeClient | undefined;
let sfn: SFNClient | undefined;

export const dynamoClient = (): DynamoDBClient => {
  dynamo ??= new DynamoDBClient({ maxAttempts: 3 });
  return dynamo;
};

export const documentClient = (): DynamoDBDocumentClient => {
  doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return doc;
};

export const eventBridgeClient = (): EventBridgeClient => {
  events ??= new EventBridgeClient({ maxAttempts: 1 });
  return events;
};

export const sfnClient = (): SFNClient => {
  sfn ??= new SFNClient({});
  return sfn;
};
