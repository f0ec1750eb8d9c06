import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { schedules } from '#topology';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { DomainFunctions } from './functions.ts';
import { acknowledgeWildcard } from './nag.ts';

/** One EventBridge Scheduler schedule per topology schedule, invoking its function. */
export class Schedules extends Construct {
  constructor(scope: Construct, id: string, props: { functions: DomainFunctions }) {
    super(scope, id);
    for (const schedule of schedules) {
      const target = props.functions.get(schedule.target.function);
      const role = new iam.Role(this, `${schedule.name}Role`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
        description: `EventBridge Scheduler: invokes ${schedule.target.function}`,
      });
      const deadLetterQueue = new DeadLetterQueue(this, `${schedule.name}Dlq`, {
        purpose: `invocations of schedule ${schedule.name} that could not be delivered`,
      });
      new scheduler.Schedule(this, schedule.name, {
        description: schedule.description,
        schedule: scheduler.ScheduleExpression.expression(schedule.expression),
        target: new LambdaInvoke(target, {
          role,
          deadLetterQueue,
          retryAttempts: 2,
          // Schedules repeat: a late invocation is dropped to the queue rather than stacking up behind the next.
          maxEventAge: Duration.minutes(15),
        }),
      });
      acknowledgeWildcard(
        role,
        `${target.functionArn}:*`,
        `lambda:InvokeFunction on ${schedule.target.function} and its versions/aliases (LambdaInvoke grantInvoke).`,
      );
    }
  }
}
