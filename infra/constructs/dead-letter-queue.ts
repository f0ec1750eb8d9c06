import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** A queue that only ever receives what a rule, schedule or stream consumer gave up on. */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: { purpose: string }) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this,
      'AwsSolutions-SQS3',
      `This queue is itself a dead-letter queue (${props.purpose}); nothing consumes it automatically.`,
    );
  }
}
