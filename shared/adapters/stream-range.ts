import { createRequire } from 'node:module';
import type * as Streams from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { sdkMaxAttempts, sdkRequestHandler, timeoutsNotRetried } from '#plumbing/sdk-timeouts';

/**
 * Required, not imported: an ES import of this CommonJS package makes Node scan its source for
 * export names at init, ≈ 0.1 × a whole handler's init CPU (bench/bundles.ts); `require` skips
 * the scan.
 */
const { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } = createRequire(import.meta.url)(
  '@aws-sdk/client-dynamodb-streams',
) as typeof Streams;
type _Record = Streams._Record;

/**
 * What Lambda sends to a stream event source's on-failure destination: not the records, only
 * where they are (`DDBStreamBatchInfo`). The local stream poller sends the same shape.
 */
export type StreamBatchInfo = {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
  batchSize?: number;
  approximateArrivalOfFirstRecord?: string;
  approximateArrivalOfLastRecord?: string;
};
export type OnFailureRecord = { DDBStreamBatchInfo: StreamBatchInfo; [key: string]: unknown };

let client: Streams.DynamoDBStreamsClient | undefined;
export const streamsClient = () => {
  // Endpoint from the SDK's configuration (AWS_ENDPOINT_URL_DYNAMODB_STREAMS locally).
  client ??= timeoutsNotRetried(
    new DynamoDBStreamsClient({ maxAttempts: sdkMaxAttempts, requestHandler: sdkRequestHandler() }),
  );
  return client;
};

const toLambdaRecord = (r: _Record, streamArn: string): DynamoDBRecord =>
  ({
    ...r,
    eventSourceARN: streamArn,
    dynamodb: {
      ...r.dynamodb,
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

/** Empty pages a shard may return before the records (open shards are read page by page). */
const maxEmptyPages = 20;

/**
 * The records of one parked batch, read again from the stream (within its 24 h retention):
 * from the start sequence number up to and including the end one.
 */
export const readStreamRange = async (info: StreamBatchInfo): Promise<DynamoDBRecord[]> => {
  const end = BigInt(info.endSequenceNumber);
  const start = await streamsClient().send(
    new GetShardIteratorCommand({
      StreamArn: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: info.startSequenceNumber,
    }),
  );
  const out: DynamoDBRecord[] = [];
  let iterator = start.ShardIterator;
  let empty = 0;
  while (iterator && empty < maxEmptyPages) {
    const page = await streamsClient().send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const records = page.Records ?? [];
    if (records.length === 0) empty++;
    for (const r of records) {
      if (BigInt(r.dynamodb?.SequenceNumber ?? '0') > end) return out;
      out.push(toLambdaRecord(r, info.streamArn));
    }
    if (out.length > 0 && BigInt(out.at(-1)!.dynamodb?.SequenceNumber ?? '0') >= end) return out;
    iterator = page.NextShardIterator;
  }
  return out;
};
