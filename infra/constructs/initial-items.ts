import { marshall } from '@aws-sdk/util-dynamodb';
import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { TableName, TableSpec } from '#topology';
import { initialItems } from '#topology';
import { acknowledge } from './nag.ts';

/** The construct id of the one provider function every AwsCustomResource of a stack shares. */
const providerId = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

export type SeededTable = { name: TableName; spec: TableSpec; table: dynamodb.Table };

/**
 * Puts the items a new table starts with (shared/initial-items.ts, as the local stack does) when
 * the deploy creates them, so a fresh deploy behaves as a local run. Nothing on update or delete:
 * an item already there (an operator's pointer) stays as it is.
 */
export class InitialItems extends Construct {
  constructor(scope: Construct, id: string, tables: SeededTable[]) {
    super(scope, id);
    const seeded = tables.flatMap((t) => initialItems(t.spec).map((item, i) => ({ ...t, item, i })));
    if (seeded.length === 0) return;
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    // Own role instead of the AWSLambdaBasicExecutionRole managed policy: its own log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Puts the items a new table starts with',
    });
    logGroup.grantWrite(role);
    for (const { name, spec, table, item, i } of seeded) {
      new AwsCustomResource(this, `${name}${i}`, {
        onCreate: {
          service: 'DynamoDB',
          action: 'putItem',
          parameters: {
            TableName: table.tableName,
            Item: marshall(item),
            ConditionExpression: `attribute_not_exists(${spec.partitionKey})`,
          },
          physicalResourceId: PhysicalResourceId.of(`${name}-initial-item-${i}`),
          // The item is there already: it is kept, and the deploy goes on.
          ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
        },
        policy: AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }),
        ]),
        role,
        logGroup,
        memorySize: 256,
        // The SDK of the provider's runtime: no package download while a deploy waits.
        installLatestAwsSdk: false,
      });
    }
    const provider = Stack.of(this).node.findChild(providerId);
    acknowledge(
      provider,
      'Serverless-LambdaDLQ',
      'CloudFormation invokes the custom resource provider synchronously and fails the deploy on its error: a DLQ would never receive anything.',
    );
    acknowledge(
      provider,
      'Serverless-LambdaTracing',
      'Runs once when the stack creates a table (one PutItem); its outcome is in the CloudFormation events and its own log group.',
    );
  }
}
