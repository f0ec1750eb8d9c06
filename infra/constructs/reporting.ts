import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Aws, Duration, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import type * as events from 'aws-cdk-lib/aws-events';
import * as eventsCore from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  type ColumnType,
  type FactTableName,
  factTableNames,
  factTables,
  partitionColumn,
} from '#domain/reporting/fact-tables';
import { kpis } from '#domain/reporting/kpis';
import {
  type DeliveryStreamName,
  deliveryStreams,
  type FunctionName,
  functions as functionSpecs,
  reporting,
  resourceEnv,
} from '#topology';
import { projectRoot } from './domain-function.ts';
import { toEventPattern } from './events.ts';
import type { DomainFunctions } from './functions.ts';
import { acknowledge, acknowledgeWildcard } from './nag.ts';
import { rootStackName, stageOf } from './stage.ts';

const glueType: Record<ColumnType, string> = {
  string: 'string',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
};
export const kpiSqlDir = path.join(projectRoot, 'shared/domain/reporting/kpis');
const factsPrefix = (table: FactTableName) => `facts/${table}/`;
const resultsPrefix = 'athena-results/';

/**
 * Reporting with a real engine: EventBridge → Kinesis Data Firehose (record transformation by
 * the fact mapper, dynamic partitioning by fact table and date) → S3; Glue tables over the
 * prefixes with date partition projection; an Athena workgroup that enforces its result
 * location and encryption; one named query per KPI SQL file (the same files DuckDB runs locally).
 */
export class Reporting extends NestedStack {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly database: glue.CfnDatabase;
  /** Glue database names are unique per account and region: one per stage. */
  readonly databaseName: string;
  readonly workgroup: athena.CfnWorkGroup;
  readonly streams: Record<DeliveryStreamName, firehose.CfnDeliveryStream>;

  constructor(scope: Construct, id: string, props: { functions: DomainFunctions; bus: events.IEventBus }) {
    super(scope, id);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    acknowledge(
      accessLogs,
      'AwsSolutions-S1',
      'This bucket receives the data lake access logs; logging it again would recurse.',
    );
    this.accessLogs = accessLogs;
    this.bucket = new s3.Bucket(this, 'Lake', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ prefix: resultsPrefix, expiration: Duration.days(30) }],
    });

    this.databaseName = `${reporting.database}_${stageOf(this)}`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: this.databaseName,
        description: 'CPQ/OMS reporting facts (requirements 003 §7)',
      },
    });
    for (const table of factTableNames) this.table(table);

    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: `${rootStackName(this)}-reporting`,
      description: 'KPI queries over the reporting facts',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.bucket.s3UrlForObject(resultsPrefix),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    for (const kpi of kpis) {
      const query = new athena.CfnNamedQuery(this, `Kpi-${kpi.name}`, {
        name: `${rootStackName(this)}-${kpi.name}`,
        description: `${kpi.title} (requirements ${kpi.seedRef}); parameters: from date, to date`,
        database: this.databaseName,
        workGroup: this.workgroup.name,
        queryString: readFileSync(path.join(kpiSqlDir, `${kpi.name}.sql`), 'utf8'),
      });
      query.addDependency(this.workgroup);
    }

    this.streams = Object.fromEntries(
      (Object.keys(deliveryStreams) as DeliveryStreamName[]).map((name) => [
        name,
        this.deliveryStream(name, props),
      ]),
    ) as Record<DeliveryStreamName, firehose.CfnDeliveryStream>;
    this.connectQueries(props.functions);
  }

  private table(name: FactTableName): void {
    const location = this.bucket.s3UrlForObject(factsPrefix(name));
    const table = new glue.CfnTable(this, `Table-${name}`, {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name,
        description: factTables[name].description,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: partitionColumn, type: 'string' }],
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          [`projection.${partitionColumn}.type`]: 'date',
          [`projection.${partitionColumn}.format`]: 'yyyy-MM-dd',
          [`projection.${partitionColumn}.range`]: '2026-01-01,NOW',
          [`projection.${partitionColumn}.interval`]: '1',
          [`projection.${partitionColumn}.interval.unit`]: 'DAYS',
          'storage.location.template': `${location}${partitionColumn}=\${${partitionColumn}}/`,
        },
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
          columns: (Object.entries(factTables[name].columns) as [string, ColumnType][]).map(
            ([column, type]) => ({
              name: column,
              type: glueType[type],
            }),
          ),
        },
      },
    });
    table.addDependency(this.database);
  }

  private deliveryStream(
    name: DeliveryStreamName,
    props: { functions: DomainFunctions; bus: events.IEventBus },
  ): firehose.CfnDeliveryStream {
    const spec = deliveryStreams[name];
    const processor = props.functions.get(spec.processor);
    const logGroup = new logs.LogGroup(this, `${name}DeliveryLogs`, {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const logStream = logGroup.addStream('S3Delivery');
    const role = new iam.Role(this, `${name}DeliveryRole`, {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      description: `Delivery stream ${name}: transform with ${spec.processor}, write to the data lake`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects('facts/*'), this.bucket.arnForObjects('errors/*')],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        resources: [processor.functionArn],
      }),
    );
    for (const objects of ['facts', 'errors']) {
      acknowledgeWildcard(
        role,
        this.bucket.arnForObjects(`${objects}/*`),
        `Firehose writes objects whose keys it derives (partition keys, timestamps) under ${objects}/ only.`,
      );
    }
    logGroup.grantWrite(role);
    const prefix = spec.prefix.replace(/\{(\w+)\}/g, '!{partitionKeyFromLambda:$1}');
    const stream = new firehose.CfnDeliveryStream(this, `${name}DeliveryStream`, {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix,
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/',
        // Dynamic partitioning needs at least 64 MB buffers.
        bufferingHints: { intervalInSeconds: spec.bufferSeconds, sizeInMBs: 64 },
        compressionFormat: 'UNCOMPRESSED',
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: processor.functionArn },
                { parameterName: 'NumberOfRetries', parameterValue: '3' },
                { parameterName: 'BufferSizeInMBs', parameterValue: '1' },
                { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
              ],
            },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    stream.node.addDependency(role);
    const rule = new eventsCore.Rule(this, `${name}Rule`, {
      eventBus: props.bus,
      description: spec.description,
      eventPattern: toEventPattern(spec.pattern),
      targets: [
        new targets.FirehoseDeliveryStream(
          firehose.DeliveryStream.fromDeliveryStreamAttributes(this, `${name}Ref`, {
            deliveryStreamArn: stream.attrArn,
            deliveryStreamName: stream.ref,
          }),
        ),
      ],
    });
    acknowledge(
      rule,
      'Serverless-EventBusDLQ',
      'The Firehose target (aws-events-targets FirehoseDeliveryStream) takes no DLQ; EventBridge retries it for 24 h, and records Firehose cannot deliver land under errors/.',
    );
    return stream;
  }

  /** Functions that query facts: Athena in this workgroup, the Glue tables, the lake prefixes. */
  private connectQueries(functions: DomainFunctions): void {
    const { region, account, partition } = Stack.of(this.node.scope!);
    for (const [name, spec] of Object.entries(functionSpecs) as [
      FunctionName,
      { queriesFacts?: boolean },
    ][]) {
      if (!spec.queriesFacts) continue;
      const fn = functions.get(name);
      fn.addEnvironment(resourceEnv.facts.database, this.databaseName);
      fn.addEnvironment(resourceEnv.facts.workgroup, this.workgroup.name);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
          resources: [`arn:${partition}:athena:${region}:${account}:workgroup/${this.workgroup.name}`],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          // Partition projection: Athena computes the partitions, it never lists them in Glue.
          actions: ['glue:GetDatabase', 'glue:GetTable'],
          resources: [
            `arn:${partition}:glue:${region}:${account}:catalog`,
            `arn:${partition}:glue:${region}:${account}:database/${this.databaseName}`,
            ...factTableNames.map(
              (t) => `arn:${partition}:glue:${region}:${account}:table/${this.databaseName}/${t}`,
            ),
          ],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [this.bucket.arnForObjects('facts/*')],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects(`${resultsPrefix}*`)],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket'],
          resources: [this.bucket.bucketArn],
        }),
      );
      acknowledgeWildcard(
        fn.role!,
        this.bucket.arnForObjects('facts/*'),
        'Athena reads the fact objects of every date partition the query selects (read only).',
      );
      acknowledgeWildcard(
        fn.role!,
        this.bucket.arnForObjects(`${resultsPrefix}*`),
        "Athena writes and reads the results of this function's queries under the workgroup result prefix.",
      );
    }
  }
}
