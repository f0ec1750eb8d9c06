import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** A queue that only ever receives what a rule, schedule or stream consumer gave up on. */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: { purpose: string }) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS keeps a message; the queue outlives the stack so nothing given up on is lost.
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this,
      'AwsSolutions-SQS3',
      `This queue is itself a dead-letter queue (${props.purpose}); nothing consumes it automatically.`,
    );
    acknowledge(
      this,
      'Serverless-SQSRedrivePolicy',
      `This queue is itself the dead-letter queue (${props.purpose}); a DLQ of a DLQ would only move the problem.`,
    );
  }
}
