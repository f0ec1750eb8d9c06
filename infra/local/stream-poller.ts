import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { OnFailureRecord } from '#adapters/stream-range';
import type { StreamConsumer } from '#topology';
import { matchesPattern } from './event-pattern.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';
import { localCredentials, localFunctionArn, localRegion } from './local-aws.ts';
import { imageAsLambda } from './stream-images.ts';

export const checkpointTable = 'local-stream-checkpoints';

export type FailedBatch = {
  consumer: string;
  records: number;
  firstSequenceNumber: string;
  error: string;
  at: string;
};

type ShardState = { iterator?: string; closed: boolean };

const toLambdaRecord = (r: _Record, streamArn: string): DynamoDBRecord =>
  ({
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: localRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...r.dynamodb,
      ...(r.dynamodb?.NewImage ? { NewImage: imageAsLambda(r.dynamodb.NewImage) } : {}),
      ...(r.dynamodb?.OldImage ? { OldImage: imageAsLambda(r.dynamodb.OldImage) } : {}),
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/**
 * Lambda reads new stream records within milliseconds; locally the handlers' own writes wake the
 * pollers, so a record waits for no fixed sleep (the interval remains for other writers).
 */
export const wakeOnWrites = (client: DynamoDBClient, pollers: StreamPoller[]): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (writeCommands.has(String(context.commandName))) for (const p of pollers) p.wake();
      return result;
    },
    { step: 'initialize', name: 'localStreamWake' },
  );
};

/**
 * Lambda's event source mapping for DynamoDB Streams, locally: polls each shard in order when
 * woken by a write (and about four times a second otherwise), drops records the filter does not match, invokes in batches, retries
 * from the first reported batch item failure, bisects a batch whose invocation throws, and
 * after `maxRetries` parks the rest of the batch: on the failure list, and, as Lambda does, on
 * the consumer's on-failure destination as a record of where the batch is (shard and sequence
 * range), before the checkpoint moves past it. Checkpoints live in a table, so a restart with
 * a data directory resumes where it stopped.
 */
export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardState>();
  private streamArn?: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** A write happened while a poll was running: poll again right after it. */
  private woken = false;
  /** A partial batch is being gathered (batching window): when it is due. */
  private gatheringSince?: number;
  private gatheringDueInMs?: number;
  private describedAt = 0;
  private shardIds: string[] = [];
  /** Runs a function in the context the poller was made in, not in the waking request's. */
  private readonly detached = AsyncLocalStorage.snapshot();
  readonly failed: FailedBatch[] = [];
  lastPollAt?: string;
  iteratorAgeMs = 0;
  lastError?: string;

  constructor(
    private readonly consumer: StreamConsumer,
    private readonly tableName: string,
    endpoint: string,
    private readonly dynamo: DynamoDBClient,
    private readonly doc: DynamoDBDocumentClient,
    private readonly runtime: LambdaRuntime,
    private readonly intervalMs = 250,
    private readonly onFailure?: (record: OnFailureRecord) => Promise<void>,
    /** The consumer's batching window (already time-scaled): how long a partial batch is gathered. */
    private readonly batchingWindowMs = 0,
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
  }

  get name(): string {
    return `${this.consumer.table}->${this.consumer.function}`;
  }

  start(): void {
    this.timer = setTimeout(() => this.tick(), 0);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.woken = false;
    // Paused pipeline (local faults API): records wait in the stream, as behind a disabled mapping.
    const paused = this.runtime.faults.streamsPaused;
    this.running = (paused ? Promise.resolve() : this.poll()).catch((error: Error) => {
      this.lastError = error.message;
    });
    await this.running;
    this.running = undefined;
    if (!this.stopped) {
      // While a partial batch is gathered, writes do not wake it: it is due at the window's end.
      const next = this.gatheringDueInMs ?? (this.woken && !paused ? 0 : this.intervalMs);
      this.timer = setTimeout(() => this.tick(), next);
    }
  }

  /** New records may be there: poll now, or right after the poll that is running. */
  wake(): void {
    if (this.stopped || this.gatheringDueInMs !== undefined) return;
    if (this.running) {
      this.woken = true;
      return;
    }
    clearTimeout(this.timer);
    // A poll belongs to no request: it must not inherit the waking handler's async context.
    this.detached(() => {
      this.timer = setTimeout(() => this.tick(), 0);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.streams.destroy();
  }

  private checkpointKey(shardId: string) {
    return { pk: `${this.consumer.function}#${this.tableName}`, sk: shardId };
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const saved = await this.doc.send(
      new GetCommand({ TableName: checkpointTable, Key: this.checkpointKey(shardId) }),
    );
    const after = saved.Item?.sequenceNumber as string | undefined;
    const res = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        SequenceNumber: after,
      }),
    );
    return res.ShardIterator;
  }

  private async poll(): Promise<void> {
    this.lastPollAt = new Date().toISOString();
    if (!this.streamArn) {
      const table = await this.dynamo.send(new DescribeTableCommand({ TableName: this.tableName }));
      this.streamArn = table.Table?.LatestStreamArn;
      if (!this.streamArn) throw new Error(`Table ${this.tableName} has no stream`);
    }
    // Shards change rarely: describe the stream every few seconds, not on every poll.
    if (Date.now() - this.describedAt > 5000) {
      const description = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
      this.shardIds = (description.StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!);
      this.describedAt = Date.now();
    }
    for (const shardId of this.shardIds) {
      let state = this.shards.get(shardId);
      if (!state) {
        state = { closed: false };
        this.shards.set(shardId, state);
      }
      if (state.closed) continue;
      state.iterator ??= await this.iteratorFor(shardId);
      if (!state.iterator) {
        state.closed = true;
        continue;
      }
      const page = await this.streams
        .send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }))
        .catch(async (error: Error) => {
          if (error.name !== 'ExpiredIteratorException' && error.name !== 'TrimmedDataAccessException')
            throw error;
          state.iterator = undefined;
          return undefined;
        });
      if (!page) return;
      const records = page.Records ?? [];
      // Lambda's IteratorAge: how old the newest record read is (0 when the shard is caught up).
      const newest = records.at(-1)?.dynamodb?.ApproximateCreationDateTime;
      this.iteratorAgeMs = newest ? Math.max(0, Date.now() - new Date(newest).getTime()) : 0;
      // Batching window: a partial batch waits (the iterator stays where it is, so the next read
      // returns the same records and any newer ones) until it is full or the window has passed.
      this.gatheringDueInMs = undefined;
      if (this.batchingWindowMs > 0) {
        const matching = records.filter((r) =>
          matchesPattern(toLambdaRecord(r, this.streamArn!), this.consumer.filter),
        );
        if (matching.length > 0 && matching.length < this.consumer.batchSize) {
          this.gatheringSince ??= Date.now();
          const waited = Date.now() - this.gatheringSince;
          if (waited < this.batchingWindowMs) {
            this.gatheringDueInMs = this.batchingWindowMs - waited;
            return;
          }
        }
        this.gatheringSince = undefined;
      }
      for (let i = 0; i < records.length; i += this.consumer.batchSize) {
        const slice = records.slice(i, i + this.consumer.batchSize);
        const selected = slice
          .map((r) => toLambdaRecord(r, this.streamArn!))
          .filter((r) => matchesPattern(r, this.consumer.filter));
        if (selected.length > 0) await this.process(shardId, selected, this.consumer.maxRetries);
        // Stopped mid-batch: neither delivered nor parked, so the checkpoint stays before it.
        if (this.stopped) return;
        await this.doc.send(
          new PutCommand({
            TableName: checkpointTable,
            Item: { ...this.checkpointKey(shardId), sequenceNumber: slice.at(-1)!.dynamodb!.SequenceNumber },
          }),
        );
      }
      state.iterator = page.NextShardIterator;
      if (!state.iterator) {
        state.closed = true;
        this.describedAt = 0; // its child shard is next
      }
      if (records.length > 0) this.woken = true; // more may have arrived meanwhile
      // Older shards first: a child shard's records come after its parent's.
      if (!state.closed) return;
    }
  }

  private async process(shardId: string, records: DynamoDBRecord[], retries: number): Promise<void> {
    let pending = records;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.stopped) return;
      let failedFrom: number;
      try {
        const event: DynamoDBStreamEvent = { Records: pending };
        const result = await this.runtime.invoke<
          { batchItemFailures?: { itemIdentifier: string }[] } | undefined
        >(this.consumer.function, event, { stream: this.tableName });
        const failures = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        if (failures.size === 0) return;
        failedFrom = pending.findIndex((r) => failures.has(r.dynamodb?.SequenceNumber ?? ''));
        if (failedFrom < 0) failedFrom = 0;
      } catch (error) {
        if (pending.length > 1) {
          const half = Math.ceil(pending.length / 2);
          await this.process(shardId, pending.slice(0, half), retries - attempt - 1);
          await this.process(shardId, pending.slice(half), retries - attempt - 1);
          return;
        }
        this.lastError = (error as Error).message;
        failedFrom = 0;
      }
      pending = pending.slice(failedFrom);
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
    if (this.stopped) return;
    const at = new Date().toISOString();
    this.failed.push({
      consumer: this.name,
      records: pending.length,
      firstSequenceNumber: pending[0]?.dynamodb?.SequenceNumber ?? '',
      error: this.lastError ?? 'batch item failures',
      at,
    });
    await this.onFailure?.(this.onFailureRecord(shardId, pending, retries, at));
  }

  /** The invocation record Lambda sends to a stream source's on-failure destination. */
  private onFailureRecord(
    shardId: string,
    pending: DynamoDBRecord[],
    retries: number,
    at: string,
  ): OnFailureRecord {
    const arrival = (r: DynamoDBRecord | undefined) =>
      new Date((r?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    return {
      requestContext: {
        requestId: randomUUID(),
        functionArn: localFunctionArn(this.consumer.function),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: retries + 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: at,
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: pending[0]?.dynamodb?.SequenceNumber ?? '',
        endSequenceNumber: pending.at(-1)?.dynamodb?.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: arrival(pending[0]),
        approximateArrivalOfLastRecord: arrival(pending.at(-1)),
        batchSize: pending.length,
        streamArn: this.streamArn ?? '',
      },
    };
  }

  /** Test support: forget checkpoints (a consumer replays the stream from its start). */
  async resetCheckpoints(): Promise<void> {
    for (const shardId of this.shards.keys()) {
      await this.doc.send(
        new DeleteCommand({ TableName: checkpointTable, Key: this.checkpointKey(shardId) }),
      );
    }
    this.shards.clear();
  }
}
