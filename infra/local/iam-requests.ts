import { type TableName, tables } from '#topology';
import { localEventBusArn, localStreamArn, localTableArn } from './template-policies.ts';

/** One IAM authorization AWS makes for an API call: action, resource and the condition keys it supplies. */
export type IamRequest = { action: string; resource: string; context: Record<string, string | string[]> };

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, read by shape.
type Input = Record<string, any>;

const stringOf = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof (v as { S?: unknown })?.S === 'string'
      ? (v as { S: string }).S
      : undefined;

/**
 * DynamoDB authorizes every item operation (a transaction item, a batch's table) on the table
 * or index ARN with `dynamodb:LeadingKeys` = the partition key values it touches.
 */
const dynamodb = (
  operation: string,
  input: Input,
  logicalOf: (physical: string) => TableName | undefined,
): IamRequest[] => {
  const partitionKeyOf = (table: string, index?: string) => {
    const spec = tables[logicalOf(table) as TableName];
    return index
      ? spec?.globalSecondaryIndexes?.find((i) => i.indexName === index)?.partitionKey
      : spec?.partitionKey;
  };
  const item = (action: string, table: string, key: Input | undefined): IamRequest => {
    const pk = stringOf(key?.[partitionKeyOf(table) ?? 'pk']);
    return {
      action: `dynamodb:${action}`,
      resource: localTableArn(table),
      context: pk === undefined ? {} : { 'dynamodb:LeadingKeys': [pk] },
    };
  };
  const transactional: Record<string, string> = {
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    ConditionCheck: 'ConditionCheckItem',
    Get: 'GetItem',
  };
  switch (operation) {
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [item(operation, input.TableName, input.Key ?? input.Item)];
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return (input.TransactItems as Input[]).flatMap((t) =>
        Object.entries(t).map(([op, o]) => item(transactional[op] ?? op, o.TableName, o.Key ?? o.Item)),
      );
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.entries(input.RequestItems as Record<string, Input>).map(([table, request]) => {
        const keys: Input[] =
          operation === 'BatchGetItem'
            ? request.Keys
            : (request as Input[]).map((w) => w.PutRequest?.Item ?? w.DeleteRequest?.Key);
        const pk = partitionKeyOf(table) ?? 'pk';
        return {
          action: `dynamodb:${operation}`,
          resource: localTableArn(table),
          context: { 'dynamodb:LeadingKeys': [...new Set(keys.map((k) => stringOf(k[pk]) ?? ''))] },
        };
      });
    case 'Query':
    case 'Scan': {
      const resource = input.IndexName
        ? `${localTableArn(input.TableName)}/index/${input.IndexName}`
        : localTableArn(input.TableName);
      // The partition key value of a Query's key condition (`pk = :v`), as AWS supplies it.
      const pkName = partitionKeyOf(input.TableName, input.IndexName);
      const names = Object.entries((input.ExpressionAttributeNames ?? {}) as Record<string, string>);
      const condition = String(input.KeyConditionExpression ?? '');
      const match = [pkName, ...names.filter(([, v]) => v === pkName).map(([k]) => k)]
        .map((n) => n && new RegExp(`(?:^|[\\s(])${n.replace('#', '\\#')}\\s*=\\s*(:\\w+)`).exec(condition))
        .find(Boolean);
      const pk = match ? stringOf(input.ExpressionAttributeValues?.[match[1]!]) : undefined;
      return [
        {
          action: `dynamodb:${operation}`,
          resource,
          context: pk === undefined ? {} : { 'dynamodb:LeadingKeys': [pk] },
        },
      ];
    }
    default:
      return [
        {
          action: `dynamodb:${operation}`,
          resource: localTableArn(String(input.TableName ?? '*')),
          context: {},
        },
      ];
  }
};

/** A DynamoDB Local stream ARN as the stream of the local table it belongs to. */
export const streamOf = (streamArn: string): string => {
  const table = /:table\/([^/]+)\/stream\//.exec(streamArn)?.[1];
  return table ? localStreamArn(table) : streamArn;
};

const streams = (
  operation: string,
  input: Input,
  iteratorStream: (iterator: string) => string | undefined,
) => [
  {
    action: `dynamodb:${operation}`,
    resource: streamOf(
      String(
        input.StreamArn ?? (input.ShardIterator ? iteratorStream(input.ShardIterator) : undefined) ?? '*',
      ),
    ),
    context: {},
  },
];

const eventBusArn = (bus: string | undefined, defaultBus: string) =>
  bus?.startsWith('arn:') ? bus : localEventBusArn(bus ?? defaultBus);

/** PutEvents is authorized once per entry's bus, with the entry's source and detail type. */
const events = (operation: string, input: Input, defaultBus: string): IamRequest[] =>
  operation === 'PutEvents'
    ? (input.Entries as Input[]).map((e) => ({
        action: 'events:PutEvents',
        resource: eventBusArn(e.EventBusName, defaultBus),
        context: {
          ...(e.Source ? { 'events:source': String(e.Source) } : {}),
          ...(e.DetailType ? { 'events:detail-type': String(e.DetailType) } : {}),
        },
      }))
    : [{ action: `events:${operation}`, resource: eventBusArn(input.EventBusName, defaultBus), context: {} }];

const states = (operation: string, input: Input): IamRequest[] => [
  {
    action: `states:${operation}`,
    resource: String(input.stateMachineArn ?? input.executionArn ?? '*'),
    context: {},
  },
];

export type RequestMapping = {
  logicalTable: (physical: string) => TableName | undefined;
  defaultEventBus: string;
  iteratorStream: (iterator: string) => string | undefined;
};

/** The IAM authorizations of one SDK command, by the client's signing name. */
export const iamRequestsOf = (
  service: string,
  operation: string,
  input: Input,
  mapping: RequestMapping,
): IamRequest[] => {
  switch (service) {
    case 'dynamodb':
      return operation.endsWith('Stream') ||
        operation === 'GetRecords' ||
        operation === 'GetShardIterator' ||
        operation === 'ListStreams'
        ? streams(operation, input, mapping.iteratorStream)
        : dynamodb(operation, input, mapping.logicalTable);
    case 'events':
      return events(operation, input, mapping.defaultEventBus);
    case 'states':
      return states(operation, input);
    default:
      throw new Error(`No IAM mapping for ${service}:${operation}`);
  }
};
