import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { factTableNames, factTables } from '#domain/reporting/fact-tables';
import { kpis } from '#domain/reporting/kpis';
import { deliveryStreams, reporting } from '#topology';
import { evidenceRetentionDays } from '../../infra/constructs/audit-evidence.ts';
import { kpiSqlDir } from '../../infra/constructs/reporting.ts';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

type Resource = { Type: string; Properties: Record<string, any> };
let stack: CpqOmsStack;
let resources: Record<string, Resource>;

beforeAll(() => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  stack = new CpqOmsStack(app, 'ReportingStack');
  // Reporting is a nested stack (the main stack is near CloudFormation's 500-resource limit).
  resources = {
    ...Template.fromStack(stack).toJSON().Resources,
    ...Template.fromStack(stack.reporting).toJSON().Resources,
  };
});

const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
const idOf = (c: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(c.node.defaultChild as CfnResource);
const statementsOfRole = (roleId: string) =>
  ofType('AWS::IAM::Policy')
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );

describe('reporting in AWS: EventBridge → Firehose → S3, Glue, Athena', () => {
  it('delivers the fact events to a Firehose stream that transforms with the fact mapper and partitions by table and date', () => {
    const [stream] = ofType('AWS::KinesisFirehose::DeliveryStream');
    const s3 = stream!.Properties.ExtendedS3DestinationConfiguration;
    expect(s3.Prefix).toBe('facts/!{partitionKeyFromLambda:table}/dt=!{partitionKeyFromLambda:dt}/');
    expect(s3.DynamicPartitioningConfiguration.Enabled).toBe(true);
    const lambda = s3.ProcessingConfiguration.Processors[0];
    expect(lambda.Type).toBe('Lambda');
    // The processor ARN is passed into the nested stack as a parameter from the main stack.
    const nested = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
    const passed = Object.values(nested).find((r) => r.Type === 'AWS::CloudFormation::Stack')!;
    expect(JSON.stringify(passed.Properties.Parameters)).toContain(idOf(stack.functions.get('fact-mapper')));
    expect(JSON.stringify(lambda.Parameters)).toContain('LambdaArn');
    expect(stream!.Properties.DeliveryStreamEncryptionConfigurationInput).toEqual({
      KeyType: 'AWS_OWNED_CMK',
    });
    const rule = ofType('AWS::Events::Rule').find((r) =>
      JSON.stringify(r.Properties.Targets).includes(
        stack.reporting.getLogicalId(stack.reporting.streams.facts),
      ),
    );
    expect(rule?.Properties.EventPattern).toEqual(deliveryStreams.facts.pattern);
  });

  it('has one Glue table per fact table with the schema the mapper writes, partition-projected by date', () => {
    const tables = ofType('AWS::Glue::Table');
    expect(tables.map((t) => t.Properties.TableInput.Name).sort()).toEqual([...factTableNames].sort());
    for (const table of tables) {
      const input = table.Properties.TableInput;
      const columns = factTables[input.Name as keyof typeof factTables].columns;
      expect(input.StorageDescriptor.Columns).toEqual(
        Object.entries(columns).map(([Name, Type]) => ({ Name, Type })),
      );
      expect(input.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
      expect(input.Parameters['projection.enabled']).toBe('true');
      expect(table.Properties.DatabaseName).toBe(`${reporting.database}_dev`);
    }
  });

  it('has an Athena workgroup that enforces an encrypted result location, and one named query per KPI SQL file', () => {
    const [workgroup] = ofType('AWS::Athena::WorkGroup');
    const config = workgroup!.Properties.WorkGroupConfiguration;
    expect(config.EnforceWorkGroupConfiguration).toBe(true);
    expect(config.ResultConfiguration.EncryptionConfiguration).toEqual({ EncryptionOption: 'SSE_S3' });
    const queries = ofType('AWS::Athena::NamedQuery');
    expect(queries).toHaveLength(kpis.length);
    for (const kpi of kpis) {
      const sql = readFileSync(path.join(kpiSqlDir, `${kpi.name}.sql`), 'utf8');
      expect(queries.map((q) => q.Properties.QueryString)).toContain(sql);
    }
  });

  it('lets the report function query Athena in its workgroup and read facts, and nothing of the OLTP tables', () => {
    const fn = resources[idOf(stack.functions.get('report-kpis'))]!;
    expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining(['FACTS_DATABASE', 'FACTS_WORKGROUP']),
    );
    expect(Object.keys(fn.Properties.Environment.Variables).some((k) => k.endsWith('_TABLE'))).toBe(false);
    const actions = statementsOfRole(fn.Properties.Role['Fn::GetAtt'][0]).flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    );
    expect(actions).toEqual(
      expect.arrayContaining(['athena:StartQueryExecution', 'glue:GetTable', 's3:GetObject']),
    );
    expect(actions.some((a) => a.startsWith('dynamodb:'))).toBe(false);
  });
});

describe('audit evidence store in AWS', () => {
  it('is a versioned bucket with Object Lock in compliance mode for seven years', () => {
    const bucket =
      resources[stack.getLogicalId(stack.auditEvidence.bucket.node.defaultChild as CfnResource)]!;
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: evidenceRetentionDays } },
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(evidenceRetentionDays).toBeGreaterThanOrEqual(7 * 365);
  });

  it('lets the evidence writer put and read evidence objects and the audit view only read (and list) them', () => {
    const actionsOf = (name: 'evidence-writer' | 'audit') => {
      const fn = resources[idOf(stack.functions.get(name))]!;
      expect(fn.Properties.Environment.Variables.EVIDENCE_BUCKET).toBeDefined();
      return statementsOfRole(fn.Properties.Role['Fn::GetAtt'][0])
        .filter((s) =>
          JSON.stringify(s.Resource).includes(
            stack.getLogicalId(stack.auditEvidence.bucket.node.defaultChild as CfnResource),
          ),
        )
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    };
    expect(actionsOf('evidence-writer').sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(actionsOf('audit').sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  it('lets the audit view list only the evidence prefix, so S3 answers a record not sealed yet with 404, not 403', () => {
    const bucketId = stack.getLogicalId(stack.auditEvidence.bucket.node.defaultChild as CfnResource);
    const listing = (name: 'evidence-writer' | 'audit') =>
      statementsOfRole(resources[idOf(stack.functions.get(name))]!.Properties.Role['Fn::GetAtt'][0]).filter(
        (s) => [s.Action].flat().includes('s3:ListBucket'),
      );
    expect(listing('audit')).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['evidence/*'] } },
      },
    ]);
    expect(listing('evidence-writer')).toEqual([]);
  });
});
