import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type StackTemplate, templatesOf } from '#test/stack-templates';
import { stateMachines } from '#topology';
import { createApp } from '../../infra/cpq-oms-app.ts';

const outdir = mkdtempSync(path.join(tmpdir(), 'cpq-oms-stages-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const stageStack = (stage: string) =>
  createApp({ outdir, context: { stage, 'aws:cdk:bundling-stacks': [] } }).stack;

/** Properties whose value CloudFormation creates under that name, unique per account and region. */
const accountScopedNames: Record<string, string[]> = {
  'AWS::ApiGateway::ApiKey': ['Value', 'Name'],
  'AWS::ApiGateway::RestApi': ['Name'],
  'AWS::Athena::WorkGroup': ['Name'],
  'AWS::Athena::NamedQuery': ['Name'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudWatch::CompositeAlarm': ['AlarmName'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::Events::EventBus': ['Name'],
  'AWS::Events::Archive': ['ArchiveName'],
  'AWS::Glue::Database': ['DatabaseInput.Name'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::KinesisFirehose::DeliveryStream': ['DeliveryStreamName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::Scheduler::Schedule': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::StepFunctions::StateMachine': ['StateMachineName'],
  'AWS::WAFv2::WebACL': ['Name'],
};

const at = (value: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);

/** Every fixed physical name and export name of a stage (generated names are not in the template). */
const fixedNames = (templates: StackTemplate[]): string[] =>
  templates.flatMap(({ resources, outputs }) => [
    ...Object.values(resources).flatMap((resource) =>
      (accountScopedNames[resource.Type] ?? []).flatMap((prop) => {
        const value = at(resource.Properties, prop);
        return value === undefined ? [] : [JSON.stringify(value)];
      }),
    ),
    ...Object.values(outputs).flatMap((output) =>
      output.Export ? [JSON.stringify(output.Export.Name)] : [],
    ),
  ]);

describe('stages deploy side by side in one account', () => {
  const dev = stageStack('dev');
  const qa = stageStack('qa');
  const devTemplates = templatesOf(dev);
  const qaTemplates = templatesOf(qa);

  it('names the stack after the stage (cdk.json default: dev)', () => {
    expect(dev.stackName).toBe('cpq-oms-dev');
    expect(qa.stackName).toBe('cpq-oms-qa');
    expect(createApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } }).stack.stackName).toBe(
      'cpq-oms-dev',
    );
  });

  it('no fixed physical name, key value or export name of one stage is used by the other', () => {
    const devNames = fixedNames(devTemplates);
    expect(devNames.length).toBeGreaterThan(10);
    const qaNames = new Set(fixedNames(qaTemplates));
    expect(devNames.filter((name) => qaNames.has(name))).toEqual([]);
  });

  it('refuses a stage name that cannot prefix every name (upper case, separators, too long)', () => {
    for (const stage of ['Dev', 'dev-eu', 'dev_1', '1dev', 'averyverylongstage'])
      expect(() => stageStack(stage), stage).toThrow(/CDK context "stage" must match/);
  });

  it('state machine logs are vended log groups (/aws/vendedlogs/states/…), one per machine and stage', () => {
    const logGroupOf = (templates: StackTemplate[]) =>
      templates.flatMap(({ resources }) =>
        Object.values(resources)
          .filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')
          .map((machine) => {
            const ref =
              machine.Properties!.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn;
            return resources[ref['Fn::GetAtt'][0]]!.Properties.LogGroupName as string;
          }),
      );
    expect(logGroupOf(devTemplates).sort()).toEqual(
      Object.keys(stateMachines)
        .map((machine) => `/aws/vendedlogs/states/cpq-oms-dev-${machine}`)
        .sort(),
    );
  });
});
