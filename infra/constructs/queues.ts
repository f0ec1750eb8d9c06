import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type QueueName, queues } from '#topology';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { DomainFunctions } from './functions.ts';
import { acknowledge } from './nag.ts';

/** A stream consumer's on-failure queue: batches parked until their redrive succeeds. */
export class ParkedQueue extends sqs.Queue {}

/**
 * The topology's work queues, each drained by its consumer function (partial batch responses):
 * a message that fails comes back after the visibility timeout, and after `maxReceiveCount`
 * receives moves to the queue's own dead-letter queue.
 */
export class Queues extends Construct {
  readonly byName = {} as Record<QueueName, ParkedQueue>;

  constructor(scope: Construct, id: string, props: { functions: DomainFunctions }) {
    super(scope, id);
    for (const [name, spec] of Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][]) {
      const dlq = new DeadLetterQueue(this, `${name}Dlq`, {
        purpose: `${name} messages its consumer ${spec.consumer} could not process after ${spec.maxReceiveCount} receives`,
      });
      const queue = new ParkedQueue(this, name, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // Parked batches are pointers into the stream: kept as long as SQS allows, and retained.
        retentionPeriod: Duration.days(14),
        removalPolicy: RemovalPolicy.RETAIN,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      const consumer = props.functions.get(spec.consumer);
      consumer.addEventSource(
        new SqsEventSource(queue, { batchSize: spec.batchSize, reportBatchItemFailures: true }),
      );
      acknowledge(
        consumer,
        'Serverless-LambdaEventSourceMappingDestination',
        `An SQS source has no on-failure destination: a failed ${name} message returns after the visibility timeout and moves to the queue's DLQ after ${spec.maxReceiveCount} receives.`,
      );
      this.byName[name] = queue;
    }
  }
}
