import { Duration, NestedStack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { asyncFunctions, asyncInvocation, type FunctionName, onFailureQueueOf } from '#topology';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { DomainFunctions } from './functions.ts';

/**
 * Every asynchronously invoked function (event rule and schedule targets) sends an event whose
 * runs all failed to its own on-failure destination queue instead of Lambda discarding it; the
 * queues are dead-letter queues, so their depth is in the dead-letter alarm. A nested stack: the
 * main stack is near CloudFormation's resource limit.
 */
export class AsyncDestinations extends NestedStack {
  readonly queues = new Map<FunctionName, DeadLetterQueue>();

  constructor(scope: Construct, id: string, props: { functions: DomainFunctions }) {
    super(scope, id, { description: 'On-failure destinations of the asynchronously invoked functions' });
    for (const name of asyncFunctions) {
      const fn = props.functions.get(name);
      const queue = new DeadLetterQueue(this, onFailureQueueOf(name), {
        purpose: `events whose asynchronous invocations of ${name} failed ${asyncInvocation.retryAttempts + 1} times`,
      });
      this.queues.set(name, queue);
      // Granted here, not on the role's default policy in the main stack (the function depends on that).
      const send = new iam.Policy(this, `${name}SendsFailures`, {
        roles: [fn.role!],
        statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] })],
      });
      const config = new lambda.EventInvokeConfig(this, `${name}AsyncInvoke`, {
        function: fn,
        onFailure: { bind: () => ({ destination: queue.queueArn }) },
        retryAttempts: asyncInvocation.retryAttempts,
        maxEventAge: Duration.seconds(asyncInvocation.maxEventAgeSeconds),
      });
      // Lambda checks that the role may send to the destination when the configuration is made.
      config.node.addDependency(send);
    }
  }
}
