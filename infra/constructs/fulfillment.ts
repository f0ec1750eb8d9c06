import path from 'node:path';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type StateMachineName, stateMachines } from '#topology';
import { projectRoot } from './domain-function.ts';
import type { DomainFunctions } from './functions.ts';
import { acknowledge, acknowledgeWildcard } from './nag.ts';
import { rootStackName } from './stage.ts';

/**
 * A state machine of the topology, from its ASL file. Task states name functions directly
 * (`"Resource": "${XFunctionArn}"`), so each placeholder is substituted with that function's ARN;
 * a child machine's placeholder with the child's ARN (the parent runs it with startExecution.sync:2).
 */
export class Fulfillment extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(
    scope: Construct,
    id: string,
    props: {
      machine: StateMachineName;
      functions: DomainFunctions;
      /** The machines this one runs as children, built before it. */
      children?: Partial<Record<StateMachineName, sfn.StateMachine>>;
    },
  ) {
    super(scope, id);
    const spec = stateMachines[props.machine];
    const taskFunctions = Object.entries(spec.taskFunctions).map(
      ([placeholder, name]) => [placeholder, props.functions.get(name)] as const,
    );
    const children = Object.entries(spec.childMachines ?? {}).map(([placeholder, name]) => {
      const child = props.children?.[name];
      if (!child) throw new Error(`${props.machine}: child state machine ${name} must be built first`);
      return [placeholder, child] as const;
    });

    // Under /aws/vendedlogs/ CloudWatch Logs needs no resource policy entry per log group (that policy is size-limited).
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${rootStackName(this)}-${props.machine}`,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType:
        spec.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(path.join(projectRoot, spec.definitionFile)),
      definitionSubstitutions: Object.fromEntries([
        ...taskFunctions.map(([placeholder, fn]) => [placeholder, fn.functionArn]),
        ...children.map(([placeholder, child]) => [placeholder, child.stateMachineArn]),
      ]),
      // Execution input and output carry order and customer data: the log keeps state transitions only.
      logs: { destination: logGroup, level: sfn.LogLevel[spec.logLevel], includeExecutionData: false },
      tracingEnabled: true,
    });
    if (spec.logLevel !== 'ALL' && spec.type === 'STANDARD')
      acknowledge(
        this.stateMachine,
        'AwsSolutions-SF1',
        'A Standard workflow keeps its whole execution history (every event, 90 days) in Step Functions itself; its log holds the failures, so each event is not paid for twice.',
      );
    // The ASL file is opaque to CDK, so no grant is derived from it: invoke exactly the task functions.
    if (taskFunctions.length > 0) {
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: taskFunctions.map(([, fn]) => fn.functionArn),
        }),
      );
    }
    for (const [, child] of children) this.grantRunToCompletion(child);
    acknowledge(
      this.stateMachine.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery, ...) and X-Ray (PutTraceSegments, ...) actions ' +
        'do not support resource-level permissions.',
    );
  }

  /** startExecution.sync:2 on one child: start it, follow and stop its executions, the managed rule. */
  private grantRunToCompletion(child: sfn.StateMachine): void {
    const childName = (child.node.defaultChild as sfn.CfnStateMachine).attrName;
    const arn = (kind: string) =>
      `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:${kind}:${childName}:*`;
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [child.stateMachineArn] }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        // Express executions have their own ARN form.
        resources: [arn('execution'), arn('express')],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
        ],
      }),
    );
    for (const kind of ['execution', 'express']) {
      acknowledgeWildcard(
        this.stateMachine.role,
        arn(kind),
        'Follow and stop the executions of the child state machine only; their names are generated per start.',
      );
    }
  }
}
