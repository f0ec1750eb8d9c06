import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type FunctionName,
  type FunctionSpec,
  functions,
  type QueueName,
  streamConsumers,
  type TableName,
} from '#topology';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { DomainFunctions } from './functions.ts';

/**
 * A failed batch lands on the on-failure queue as a pointer (shard, sequence numbers), not the
 * records; they must be read back from the stream before its 24 h retention trims them.
 * Giving up after 6 h leaves most of that day for the repair.
 */
const maxRecordAge = Duration.hours(6);

/** One event source mapping per topology stream consumer, filtered to the records it handles. */
export class StreamConsumers extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: {
      functions: DomainFunctions;
      tables: Record<TableName, dynamodb.ITable>;
      queues: Record<QueueName, sqs.IQueue>;
    },
  ) {
    super(scope, id);
    for (const consumer of streamConsumers) {
      const table = props.tables[consumer.table];
      if (!table.tableStreamArn)
        throw new Error(`Table ${consumer.table} has no stream for ${consumer.function}`);
      const fn = props.functions.get(consumer.function);
      // A consumer with an on-failure queue in the topology parks there for its redrive function.
      const onFailure = consumer.onFailure
        ? props.queues[consumer.onFailure]
        : new DeadLetterQueue(this, `${consumer.function}Dlq`, {
            purpose: `batches of the ${consumer.table} stream ${consumer.function} gave up on`,
          });
      new lambda.EventSourceMapping(this, consumer.function, {
        target: fn,
        eventSourceArn: table.tableStreamArn,
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: consumer.batchSize,
        ...(consumer.maxBatchingWindowSeconds
          ? { maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds) }
          : {}),
        bisectBatchOnError: true,
        retryAttempts: consumer.maxRetries,
        maxRecordAge,
        reportBatchItemFailures: true,
        filters: [lambda.FilterCriteria.filter(consumer.filter)],
        onFailure: new SqsDlq(onFailure),
      });
      table.grantStreamRead(fn);
    }
    for (const [name, spec] of Object.entries(functions) as [FunctionName, FunctionSpec][]) {
      for (const table of spec.readsStreams ?? [])
        props.tables[table].grantStreamRead(props.functions.get(name));
    }
  }
}
