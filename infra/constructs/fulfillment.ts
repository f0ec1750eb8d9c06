import path from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type StateMachineName, stateMachines } from '#topology';
import { projectRoot } from './domain-function.ts';
import type { DomainFunctions } from './functions.ts';
import { acknowledge } from './nag.ts';

/**
 * A state machine of the topology, from its ASL file. Task states name functions directly
 * (`"Resource": "${XFunctionArn}"`), so each placeholder is substituted with that function's ARN.
 */
export class Fulfillment extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(
    scope: Construct,
    id: string,
    props: { machine: StateMachineName; functions: DomainFunctions },
  ) {
    super(scope, id);
    const spec = stateMachines[props.machine];
    const taskFunctions = Object.entries(spec.taskFunctions).map(
      ([placeholder, name]) => [placeholder, props.functions.get(name)] as const,
    );

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(path.join(projectRoot, spec.definitionFile)),
      definitionSubstitutions: Object.fromEntries(
        taskFunctions.map(([placeholder, fn]) => [placeholder, fn.functionArn]),
      ),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // The ASL file is opaque to CDK, so no grant is derived from it: invoke exactly the task functions.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: taskFunctions.map(([, fn]) => fn.functionArn),
      }),
    );
    acknowledge(
      this.stateMachine.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery, ...) and X-Ray (PutTraceSegments, ...) actions ' +
        'do not support resource-level permissions.',
    );
  }
}
