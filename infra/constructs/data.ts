import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type TableName, type TableSpec, tables as tableSpecs } from '#topology';
import { InitialItems } from './initial-items.ts';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The tables: aggregates with the outbox stream, Powertools idempotency records, read models,
 * search; each new one with the items it starts with.
 */
export class Data extends Construct {
  readonly tables: Record<TableName, dynamodb.Table>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = Object.entries(tableSpecs) as [TableName, TableSpec][];
    this.tables = Object.fromEntries(entries.map(([name, spec]) => [name, this.table(name, spec)])) as Record<
      TableName,
      dynamodb.Table
    >;
    new InitialItems(
      this,
      'InitialItems',
      entries.map(([name, spec]) => ({ name, spec, table: this.tables[name] })),
    );
  }

  private table(name: TableName, spec: TableSpec): dynamodb.Table {
    const table = new dynamodb.Table(this, name, {
      partitionKey: stringKey(spec.partitionKey),
      sortKey: spec.sortKey ? stringKey(spec.sortKey) : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: spec.stream ? dynamodb.StreamViewType[spec.stream] : undefined,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      // Neither a stack update nor a console click deletes the system of record.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of spec.globalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        ...(index.projection.length === 0
          ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
          : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: index.projection }),
      });
    }
    return table;
  }
}
