import {
  BatchGetItemCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { IamEnforcement } from '#local/iam-enforcement';
import { invocationScope } from '#local/invocation-scope';
import { localStateMachineArn } from '#local/local-aws';
import { physicalTableNames } from '#local/local-stack';
import { localStackName, resolvedPolicies } from '#local/template-policies';
import type { FunctionName, TableName } from '#topology';

// Nothing listens on port 9: a call IAM lets through fails on the network instead.
const offline = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', maxAttempts: 1 };
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const dynamo = new DynamoDBClient({ ...offline, credentials });
const events = new EventBridgeClient({ ...offline, credentials });
const sfn = new SFNClient({ ...offline, credentials });
const bus = 'cpq-oms-local-bus';
const tables = physicalTableNames;
let iam: IamEnforcement;

beforeAll(async () => {
  iam = new IamEnforcement(
    await resolvedPolicies({ tables, eventBus: bus, evidenceBucket: 'cpq-oms-evidence' }),
  );
  const logical = new Map(Object.entries(tables).map(([k, v]) => [v, k as TableName]));
  for (const client of [dynamo, events, sfn])
    iam.enforceOn(client, { logicalTable: (p) => logical.get(p), defaultEventBus: bus });
}, 180_000);

const put = (table: TableName, pk: string) =>
  new PutItemCommand({ TableName: tables[table], Item: { pk: { S: pk }, sk: { S: 'A' }, id: { S: pk } } });
const as = (fn: FunctionName, client: { send: (c: never) => Promise<unknown> }, command: unknown) =>
  invocationScope.run(fn, () => client.send(command as never));
const denied = /AccessDenied|not authorized/;

describe('local IAM from the synthesized template: dynamodb:LeadingKeys on the handlers’ client', () => {
  it('denies a quote command writing a catalog pointer, an order or another function’s idempotency record', async () => {
    await expect(as('quote-price', dynamo, put('aggregates', 'CATALOG#current'))).rejects.toThrow(denied);
    await expect(as('quote-price', dynamo, put('aggregates', 'ORDER#po-1'))).rejects.toThrow(denied);
    await expect(as('quote-price', dynamo, put('idempotency', 'quote-create#abc'))).rejects.toThrow(denied);
  });

  it('lets a function write under its own prefixes', async () => {
    await expect(as('quote-price', dynamo, put('aggregates', 'QUOTE#q-1'))).rejects.not.toThrow(denied);
    await expect(as('quote-price', dynamo, put('idempotency', 'quote-price#abc'))).rejects.not.toThrow(
      denied,
    );
    await expect(as('catalog-publish', dynamo, put('aggregates', 'CATALOG#current'))).rejects.not.toThrow(
      denied,
    );
  });

  it('confines every writer of the aggregates table to its keys (hub, workflow steps, jeopardy, reconciliation)', async () => {
    await expect(as('hub', dynamo, put('aggregates', 'HUB#productOrder#c'))).rejects.not.toThrow(denied);
    await expect(as('hub', dynamo, put('aggregates', 'ORDER#po-1'))).rejects.toThrow(denied);
    await expect(as('fulfillment-record', dynamo, put('aggregates', 'ORDER#po-1'))).rejects.not.toThrow(
      denied,
    );
    await expect(as('fulfillment-record', dynamo, put('aggregates', 'QUOTE#q-1'))).rejects.toThrow(denied);
    await expect(as('order-patch', dynamo, put('aggregates', 'QUOTE#q-1'))).rejects.toThrow(denied);
    await expect(as('jeopardy-sweep', dynamo, put('aggregates', 'JEOPARDY-SWEEP'))).rejects.not.toThrow(
      denied,
    );
    await expect(as('reconciliation-segment', dynamo, put('aggregates', 'ORDER#po-1'))).rejects.toThrow(
      denied,
    );
    await expect(as('signal-sampler', dynamo, put('readModels', 'POINTER#fallout'))).rejects.toThrow(denied);
  });

  it('checks every item of a transaction, condition checks included (none is granted)', async () => {
    const transaction = (check: boolean, writePk: string) =>
      new TransactWriteItemsCommand({
        TransactItems: [
          ...(check
            ? [
                {
                  ConditionCheck: {
                    TableName: tables.aggregates,
                    Key: { pk: { S: 'QUOTE#q-1' }, sk: { S: 'A' } },
                    ConditionExpression: 'attribute_exists(pk)',
                  },
                },
              ]
            : []),
          { Put: { TableName: tables.aggregates, Item: { pk: { S: writePk }, sk: { S: 'A' } } } },
        ],
      });
    await expect(as('order-create', dynamo, transaction(false, 'ORDER#po-1'))).rejects.not.toThrow(denied);
    await expect(as('order-create', dynamo, transaction(false, 'QUOTE#q-1'))).rejects.toThrow(denied);
    await expect(as('order-create', dynamo, transaction(true, 'ORDER#po-1'))).rejects.toThrow(denied);
  });

  it('does not key-scope reads: a quote command batch-reads its quote with the catalog pointer', async () => {
    const batch = new BatchGetItemCommand({
      RequestItems: {
        [tables.aggregates]: {
          Keys: [
            { pk: { S: 'QUOTE#q-1' }, sk: { S: 'A' } },
            { pk: { S: 'CATALOG#current' }, sk: { S: 'A' } },
          ],
        },
      },
    });
    await expect(as('quote-price', dynamo, batch)).rejects.not.toThrow(denied);
    await expect(as('ops-dashboard', dynamo, batch)).rejects.toThrow(denied);
  });

  it('leaves calls outside a handler invocation alone (the local stack’s own tooling)', async () => {
    await expect(dynamo.send(put('aggregates', 'CATALOG#current'))).rejects.not.toThrow(denied);
  });
});

describe('local IAM: EventBridge, Step Functions and the services that invoke functions', () => {
  const putEvents = new PutEventsCommand({
    Entries: [{ EventBusName: bus, Source: 'cpq-oms.quote', DetailType: 'QuoteCreateEvent', Detail: '{}' }],
  });
  const start = (machine: 'fulfillment' | 'reconciliation') =>
    new StartExecutionCommand({ stateMachineArn: localStateMachineArn(machine), input: '{}' });

  it('only the outbox publishers put events on the bus', async () => {
    await expect(as('outbox-publisher', events, putEvents)).rejects.not.toThrow(denied);
    await expect(as('quote-price', events, putEvents)).rejects.toThrow(denied);
  });

  it('a function starts only the state machines its spec names', async () => {
    await expect(as('reconciliation-start', sfn, start('reconciliation'))).rejects.not.toThrow(denied);
    await expect(as('reconciliation-start', sfn, start('fulfillment'))).rejects.toThrow(denied);
    await expect(as('fulfillment-starter', sfn, start('fulfillment'))).rejects.not.toThrow(denied);
  });

  it('EventBridge invokes a target only from its own rule (the function’s resource policy, aws:SourceArn)', async () => {
    const invoke = (rule: string, fn: FunctionName) => iam.authorizeInvoke(iam.callerOf({ rule }), fn);
    await expect(invoke('fulfillment-triggers', 'fulfillment-starter')).resolves.toBeUndefined();
    await expect(invoke('hub-notifications', 'fulfillment-starter')).rejects.toThrow(denied);
  });

  it('state machines and schedules invoke only their own functions (their roles)', async () => {
    const invoke = (by: Parameters<IamEnforcement['callerOf']>[0], fn: FunctionName) =>
      iam.authorizeInvoke(iam.callerOf(by), fn);
    await expect(
      invoke({ stateMachine: 'fulfillment-steps' }, 'fulfillment-dispatch'),
    ).resolves.toBeUndefined();
    await expect(invoke({ stateMachine: 'fulfillment' }, 'fulfillment-dispatch')).rejects.toThrow(denied);
    await expect(invoke({ schedule: 'jeopardy' }, 'jeopardy-sweep')).resolves.toBeUndefined();
    await expect(invoke({ schedule: 'jeopardy' }, 'order-create')).rejects.toThrow(denied);
  });

  it('the evidence bucket: the writer seals and reads under evidence/, the audit view only reads (role and bucket policy)', async () => {
    const object = (fn: FunctionName, action: string, key: string) =>
      invocationScope.run(fn, () => iam.authorizeObject('cpq-oms-evidence', action, key));
    await expect(
      object('evidence-writer', 's3:PutObject', 'evidence/quote/q-1/r-1.json'),
    ).resolves.toBeUndefined();
    await expect(object('audit', 's3:GetObject', 'evidence/quote/q-1/r-1.json')).resolves.toBeUndefined();
    await expect(object('audit', 's3:PutObject', 'evidence/quote/q-1/r-1.json')).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(object('evidence-writer', 's3:PutObject', 'other/x.json')).rejects.toThrow(denied);
  });

  it('event source mappings poll with the function’s role: its stream, its queue, its on-failure destination', async () => {
    const stream = { stream: tables.aggregates };
    await expect(iam.authorizeInvocation(stream, 'projector')).resolves.toBeUndefined();
    await expect(iam.authorizeInvocation(stream, 'hub')).rejects.toThrow(denied);
    await expect(
      iam.authorizeInvocation({ queue: 'outbox-parked' }, 'outbox-redrive'),
    ).resolves.toBeUndefined();
    await expect(iam.authorizeInvocation({ queue: 'projection-parked' }, 'outbox-redrive')).rejects.toThrow(
      denied,
    );
    await expect(iam.authorizeOnFailure('outbox-publisher', 'outbox-parked')).resolves.toBeUndefined();
    await expect(iam.authorizeOnFailure('outbox-publisher', 'projection-parked')).rejects.toThrow(denied);
  });

  it('API Gateway invokes only the functions of its routes and its authorizer (the functions’ resource policies)', async () => {
    const method = (m: string, path: string) => ({ apiMethod: { method: m, path } });
    await expect(iam.authorizeInvocation(method('POST', '/quotes'), 'quote-create')).resolves.toBeUndefined();
    await expect(iam.authorizeInvocation(method('GET', '/quotes/q-1'), 'quote-get')).resolves.toBeUndefined();
    // The app grants each route's function the whole API (one permission per function); others none.
    await expect(iam.authorizeInvocation(method('POST', '/quotes'), 'projector')).rejects.toThrow(denied);
    await expect(iam.authorizeInvocation({ apiAuthorizer: true }, 'authorizer')).resolves.toBeUndefined();
    await expect(iam.authorizeInvocation({ apiAuthorizer: true }, 'quote-create')).rejects.toThrow(denied);
  });

  it('CloudWatch publishes to the alarm topic only for alarms of this account and stage (the topic policy)', async () => {
    await expect(
      iam.authorizeAlarmNotification(`${localStackName}-DeadLetterDepth`),
    ).resolves.toBeUndefined();
    await expect(iam.authorizeAlarmNotification(`${localStackName}-OrdersAtRisk`)).resolves.toBeUndefined();
    await expect(iam.authorizeAlarmNotification('cpq-oms-other-DeadLetterDepth')).rejects.toThrow(denied);
  });
});
