import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
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
import { acknowledgeWildcard } from './nag.ts';
import { reservedConcurrencyOf } from './reserved-concurrency.ts';

export type DownstreamSystem = keyof typeof resourceEnv.downstream;
/** Per downstream: its URL and its in-flight window (ms it may still record a request after it left us). */
export type DownstreamSettings = Record<DownstreamSystem, { url: string; inFlightWindowMs: string }>;

const specs = Object.entries(functionSpecs) as [FunctionName, FunctionSpec][];

const writeActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * Writes only to items whose partition key starts with one of `prefixes` (IAM
 * `dynamodb:LeadingKeys`): a quote command cannot write orders, catalog pointers or another
 * function's idempotency records. `readsOwnOnly` scopes reads the same way (idempotency records:
 * Powertools keys them `<operation>#<hash>` and a function reads only its own).
 */
const grantKeyScoped = (
  fn: DomainFunction,
  table: dynamodb.ITable,
  prefixes: string[],
  readsOwnOnly: boolean,
): void => {
  const leadingKeys = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } };
  if (readsOwnOnly) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', ...writeActions],
        resources: [table.tableArn],
        conditions: leadingKeys,
      }),
    );
    return;
  }
  table.grantReadData(fn);
  fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: writeActions, resources: [table.tableArn], conditions: leadingKeys }),
  );
  // Condition checks in a transaction change nothing; they need no key scope.
  fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['dynamodb:ConditionCheckItem'], resources: [table.tableArn] }),
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
      for (const [table, access] of Object.entries(spec.tables ?? {}) as [TableName, string][]) {
        fn.addEnvironment(resourceEnv.tables[table], tables[table].tableName);
        const ownKeys = table === 'idempotency' ? idempotencyKeyPrefixes(name) : spec.writesKeys?.[table];
        if (access === 'readWrite' && ownKeys)
          grantKeyScoped(fn, tables[table], ownKeys, table === 'idempotency');
        else if (access === 'readWrite') tables[table].grantReadWriteData(fn);
        else tables[table].grantReadData(fn);
        if (tableSpecs[table].globalSecondaryIndexes?.length) {
          acknowledgeWildcard(
            fn.role!,
            `${tables[table].tableArn}/index/*`,
            `Query on the global secondary indexes of the ${table} table, which ${name} may ${access === 'read' ? 'read' : 'read and write'}.`,
          );
        }
      }
    }
  }

  connectEventBus(bus: events.IEventBus): void {
    for (const [name, spec] of specs) {
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
      const executions = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:`;
      const machineName = (stateMachine.node.defaultChild as sfn.CfnStateMachine).attrName;
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['states:DescribeExecution'],
          resources: [`${executions}${machineName}:*`],
        }),
      );
      acknowledgeWildcard(
        fn.role!,
        `${executions}${machineName}:*`,
        `DescribeExecution on executions of the ${machine} state machine only; execution names are chosen per start.`,
      );
    }
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
