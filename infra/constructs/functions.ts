import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  type Access,
  eventSources,
  type FunctionName,
  type FunctionSpec,
  functions as functionSpecs,
  idempotencyKeyPrefixes,
  resourceEnv,
  type StateMachineName,
  type TableName,
  tables as tableSpecs,
} from '#topology';
import { DomainFunction } from './domain-function.ts';
import { acknowledge, acknowledgeWildcard } from './nag.ts';
import { reservedConcurrencyOf } from './reserved-concurrency.ts';

export type DownstreamSystem = keyof typeof resourceEnv.downstream;
/** Per downstream: its URL and its in-flight window (ms it may still record a request after it left us). */
export type DownstreamSettings = Record<DownstreamSystem, { url: string; inFlightWindowMs: string }>;

const specs = Object.entries(functionSpecs) as [FunctionName, FunctionSpec][];

/** What the handlers call: no `Scan`, no stream reads (those are granted where they happen). */
export const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Single-item writes, also what each write of a `TransactWriteItems` is authorized as. */
export const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

const leadingKeys = (prefixes: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) },
});

/**
 * The table and the indexes a function may query: all of them (`index/*`), or where an index
 * names the functions that query it, each index by name.
 */
const readResources = (table: dynamodb.ITable, name: TableName, reader: FunctionName): string[] => {
  const indexes = tableSpecs[name].globalSecondaryIndexes ?? [];
  if (indexes.length === 0) return [table.tableArn];
  if (indexes.every((i) => !i.queriedBy)) return [table.tableArn, `${table.tableArn}/index/*`];
  return [
    table.tableArn,
    ...indexes
      .filter((i) => !i.queriedBy || i.queriedBy.includes(reader))
      .map((i) => `${table.tableArn}/index/${i.indexName}`),
  ];
};
const readsEveryIndex = (name: TableName) =>
  Boolean(tableSpecs[name].globalSecondaryIndexes?.length) &&
  tableSpecs[name].globalSecondaryIndexes!.every((i) => !i.queriedBy);

/**
 * One table's grant: reads (`read`, `readWrite`) of the table and its indexes, and writes
 * (`readWrite`, `write`) only of items whose partition key starts with one of `ownKeys` (IAM
 * `dynamodb:LeadingKeys`): a quote command cannot write orders, catalog pointers or another
 * function's idempotency records. `readsOwnOnly` scopes reads the same way (idempotency records:
 * Powertools keys them `<operation>#<hash>` and a function reads only its own).
 */
const grantTable = (
  fn: DomainFunction,
  reader: FunctionName,
  table: dynamodb.ITable,
  name: TableName,
  access: Access,
  ownKeys: string[] | undefined,
  readsOwnOnly: boolean,
  readKeys?: string[],
  keyedReads: { batch?: boolean; query?: boolean } = {},
): void => {
  const scoped = ownKeys ? { conditions: leadingKeys(ownKeys) } : {};
  if (readsOwnOnly) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', ...writeActions],
        resources: [table.tableArn],
        ...scoped,
      }),
    );
    return;
  }
  if (access !== 'write')
    fn.addToRolePolicy(
      readKeys
        ? new iam.PolicyStatement({
            actions: [
              'dynamodb:GetItem',
              ...(keyedReads.batch ? ['dynamodb:BatchGetItem'] : []),
              ...(keyedReads.query ? ['dynamodb:Query'] : []),
            ],
            resources: [table.tableArn],
            conditions: leadingKeys(readKeys),
          })
        : new iam.PolicyStatement({ actions: readActions, resources: readResources(table, name, reader) }),
    );
  if (access !== 'read')
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: writeActions, resources: [table.tableArn], ...scoped }),
    );
};

/**
 * All functions of the topology. Each one is connected only to the resources its spec names:
 * the environment variable from `resourceEnv` and the matching least-privilege grant.
 */
export class DomainFunctions extends Construct {
  private readonly byName = new Map<FunctionName, DomainFunction>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const reserved = reservedConcurrencyOf(this);
    for (const [name, spec] of specs) {
      this.byName.set(
        name,
        new DomainFunction(this, name, { name, spec, reservedConcurrency: reserved[name] }),
      );
    }
  }

  get(name: FunctionName): DomainFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`Function ${name} is not in the topology`);
    return fn;
  }

  all(): DomainFunction[] {
    return [...this.byName.values()];
  }

  connectTables(tables: Record<TableName, dynamodb.ITable>): void {
    for (const [name, spec] of specs) {
      const fn = this.get(name);
      for (const [table, access] of Object.entries(spec.tables ?? {}) as [TableName, Access][]) {
        fn.addEnvironment(resourceEnv.tables[table], tables[table].tableName);
        const ownKeys = table === 'idempotency' ? idempotencyKeyPrefixes(name) : spec.writesKeys?.[table];
        if (table === 'aggregates' && access !== 'read' && !ownKeys)
          throw new Error(`${name} writes the aggregates table without writesKeys`);
        const readKeys = spec.readsKeys?.[table];
        grantTable(fn, name, tables[table], table, access, ownKeys, table === 'idempotency', readKeys, {
          batch: spec.batchReadsKeys,
          query: spec.queriesReadsKeys,
        });
        if (access !== 'write' && !readKeys && readsEveryIndex(table)) {
          acknowledgeWildcard(
            fn.role!,
            `${tables[table].tableArn}/index/*`,
            `Query on the global secondary indexes of the ${table} table, which ${name} may read.`,
          );
        }
      }
    }
  }

  connectEventBus(bus: events.IEventBus): void {
    for (const [name, spec] of specs) {
      if (spec.publishesRefusals) {
        const fn = this.get(name);
        fn.addEnvironment(resourceEnv.eventBus, bus.eventBusName);
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['events:PutEvents'],
            resources: [bus.eventBusArn],
            // Multivalued keys in IAM's reference for EventBridge: each entry has one source and type.
            conditions: {
              'ForAnyValue:StringEquals': {
                'events:source': eventSources.commands,
                'events:detail-type': 'CommandRefusedEvent',
              },
            },
          }),
        );
      }
      if (!spec.putsEvents) continue;
      const fn = this.get(name);
      fn.addEnvironment(resourceEnv.eventBus, bus.eventBusName);
      bus.grantPutEventsTo(fn);
    }
  }

  connectStateMachine(machine: StateMachineName, stateMachine: sfn.StateMachine): void {
    for (const [name, spec] of specs) {
      if (!spec.startsStateMachines?.includes(machine)) continue;
      const fn = this.get(name);
      fn.addEnvironment(resourceEnv.stateMachines[machine], stateMachine.stateMachineArn);
      stateMachine.grantStartExecution(fn);
      // Reconciliation lists the running executions to find orders no execution drives.
      if (spec.listsExecutionsOf?.includes(machine)) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['states:ListExecutions'],
            resources: [stateMachine.stateMachineArn],
          }),
        );
      }
    }
  }

  /**
   * The list cursors' key: a generated secret, resolved by CloudFormation into the environment of
   * the functions that seal cursors (no runtime read, so no secret grant; the value is visible to
   * whoever may read those functions' configuration).
   */
  connectCursorKey(): void {
    const key = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'AES-GCM key of the list cursors (shared/plumbing/http/cursor.ts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledge(
      key,
      'AwsSolutions-SMG4',
      'Rotation would need a redeploy to reach the functions; cursors live an hour, so a new key is a redeploy away and only ends open pagings.',
    );
    for (const [name, spec] of specs)
      if (spec.sealsCursors)
        this.get(name).addEnvironment(resourceEnv.cursorKey, key.secretValue.unsafeUnwrap());
  }

  connectDownstream(settings: DownstreamSettings): void {
    for (const [name, spec] of specs) {
      if (!spec.callsDownstream) continue;
      for (const system of Object.keys(resourceEnv.downstream) as DownstreamSystem[]) {
        this.get(name).addEnvironment(resourceEnv.downstream[system], settings[system].url);
        this.get(name).addEnvironment(
          resourceEnv.downstreamInFlightWindowMs[system],
          settings[system].inFlightWindowMs,
        );
      }
    }
  }
}
