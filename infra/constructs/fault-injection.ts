import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '#topology';
import type { DomainFunctions } from './functions.ts';
import { acknowledge } from './nag.ts';

/**
 * The functions whose failure the requirements 000 §21 chaos rows exercise in AWS: pricing and approval (CPQ
 * degraded modes), order capture, and the downstream dispatch. Locally every function can be
 * failed through /ops/local/faults; here each target carries the FIS extension layer.
 */
export const faultInjectionTargets: FunctionName[] = [
  'quote-price',
  'quote-submit',
  'quote-approval',
  'quote-accept',
  'order-create',
  'fulfillment-dispatch',
];

/** The two AWS FIS Lambda faults per target, with the parameters FIS defines for them. */
export const lambdaFaults = {
  error: { actionId: 'aws:lambda:invocation-error', parameters: { preventExecution: 'true' } },
  delay: { actionId: 'aws:lambda:invocation-add-delay', parameters: { startupDelayMilliseconds: '3000' } },
} as const;

const configPrefix = 'FisConfigs';

/**
 * AWS FIS experiment templates for the Lambda faults (error, added latency) of each target,
 * stopped by CloudWatch alarms that mean "customers are hurt beyond the experiment's budget":
 * API 5xx responses or a failed fulfillment execution.
 */
export class FaultInjection extends Construct {
  readonly templates: fis.CfnExperimentTemplate[] = [];
  readonly stopAlarms: cloudwatch.Alarm[];

  constructor(
    scope: Construct,
    id: string,
    props: { functions: DomainFunctions; api: apigateway.RestApi; stateMachine: sfn.StateMachine },
  ) {
    super(scope, id);
    const config = new s3.Bucket(this, 'Config', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    acknowledge(
      config,
      'AwsSolutions-S1',
      'Holds only the short-lived fault configurations AWS FIS writes for its Lambda extension; experiments are logged by FIS.',
    );

    const layer = lambda.LayerVersion.fromLayerVersionArn(
      this,
      'FisExtension',
      ssm.StringParameter.valueForStringParameter(
        this,
        '/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x',
      ),
    );
    const location = `arn:${Stack.of(this).partition}:s3:::${config.bucketName}/${configPrefix}/`;
    for (const name of faultInjectionTargets) {
      const fn = props.functions.get(name);
      fn.addLayers(layer);
      fn.addEnvironment('AWS_FIS_CONFIGURATION_LOCATION', location);
      fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', '/opt/aws-fis/bootstrap');
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [config.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${configPrefix}/*`] } },
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [config.arnForObjects(`${configPrefix}/*`)],
        }),
      );
    }

    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, what: string) =>
      new cloudwatch.Alarm(this, name, {
        alarmDescription: `Stops fault injection experiments: ${what}`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const period = Duration.minutes(1);
    this.stopAlarms = [
      alarm(
        'ApiServerErrors',
        props.api.metricServerError({ period }),
        10,
        'the API answered 5xx 10 times in a minute',
      ),
      alarm(
        'FulfillmentFailed',
        props.stateMachine.metricFailed({ period }),
        1,
        'a fulfillment execution failed during the experiment',
      ),
    ];

    const role = new iam.Role(this, 'ExperimentRole', {
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com'),
      description: 'AWS FIS: writes Lambda fault configurations for the target functions',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [config.arnForObjects(`${configPrefix}/*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:GetFunction'],
        resources: faultInjectionTargets.map((n) => props.functions.get(n).functionArn),
      }),
    );
    for (const resource of [role, ...faultInjectionTargets.map((n) => props.functions.get(n).role!)]) {
      acknowledge(
        resource,
        `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(config.node.defaultChild as s3.CfnBucket)}.Arn>/${configPrefix}/*]`,
        'The FIS Lambda extension reads, and FIS writes, the per-experiment configuration objects under this prefix only.',
      );
    }

    for (const name of faultInjectionTargets) {
      for (const [kind, fault] of Object.entries(lambdaFaults)) {
        this.templates.push(
          new fis.CfnExperimentTemplate(this, `${name}-${kind}`, {
            description: `${fault.actionId} on ${name} (50 % of invocations, 5 minutes)`,
            roleArn: role.roleArn,
            targets: {
              Function: {
                resourceType: 'aws:lambda:function',
                resourceArns: [props.functions.get(name).functionArn],
                selectionMode: 'ALL',
              },
            },
            actions: {
              inject: {
                actionId: fault.actionId,
                parameters: { duration: 'PT5M', invocationPercentage: '50', ...fault.parameters },
                targets: { Functions: 'Function' },
              },
            },
            stopConditions: this.stopAlarms.map((a) => ({
              source: 'aws:cloudwatch:alarm',
              value: a.alarmArn,
            })),
            tags: { Name: `${name}-${kind}`, purpose: 'chaos-table' },
          }),
        );
      }
    }
  }
}
