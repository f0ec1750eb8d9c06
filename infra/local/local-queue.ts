import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueName, QueueSpec } from '#topology';
import type { LambdaRuntime } from './lambda-runtime.ts';
import { localAccount, localRegion } from './local-aws.ts';
import { checkSqsMessage } from './service-limits.ts';

export const queueTable = 'local-queues';

type Message = {
  pk: string;
  sk: string;
  body: string;
  sentAt: string;
  receiveCount: number;
  visibleAt: number;
};

/**
 * An SQS queue with its Lambda event source, locally: messages live in a DynamoDB Local table
 * (so a restart with a data directory keeps them), the consumer gets batches of visible
 * messages, a message it reports as failed (or all of them if it throws) comes back after the
 * visibility timeout, and after `maxReceiveCount` receives it moves to the dead-letter side.
 */
export class LocalQueue {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  lastError?: string;
  depth = 0;
  deadLetters = 0;

  constructor(
    readonly name: QueueName,
    private readonly spec: QueueSpec,
    private readonly doc: DynamoDBDocumentClient,
    private readonly runtime: LambdaRuntime,
    /** Local pace of the visibility timeout (the stack's time scale). */
    private readonly visibilityMs: number,
    private readonly table = queueTable,
  ) {}

  get arn(): string {
    return `arn:aws:sqs:${localRegion}:${localAccount}:${this.name}`;
  }

  async send(body: unknown): Promise<void> {
    const sentAt = new Date().toISOString();
    checkSqsMessage(JSON.stringify(body));
    const message: Message = {
      pk: this.name,
      sk: `${sentAt}#${randomUUID()}`,
      body: JSON.stringify(body),
      sentAt,
      receiveCount: 0,
      visibleAt: 0,
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: message }));
    this.depth++;
  }

  private async messages(pk: string): Promise<Message[]> {
    const out: Message[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...((page.Items ?? []) as Message[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.receive().catch((error: Error) => {
        this.lastError = error.message;
      });
      await this.running;
      if (!this.stopped) this.timer = setTimeout(tick, Math.max(100, Math.min(this.visibilityMs, 1000)));
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private toRecord = (m: Message): SQSRecord => ({
    messageId: m.sk,
    receiptHandle: m.sk,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount + 1),
      SentTimestamp: String(Date.parse(m.sentAt)),
      SenderId: localAccount,
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: this.arn,
    awsRegion: localRegion,
  });

  /** One receive: every visible message, in batches of the spec's size. */
  private async receive(): Promise<void> {
    const all = await this.messages(this.name);
    this.depth = all.length;
    const visible = all.filter((m) => m.visibleAt <= Date.now());
    let left = all.length;
    for (let i = 0; i < visible.length && !this.stopped; i += this.spec.batchSize) {
      const batch = visible.slice(i, i + this.spec.batchSize);
      let failed: Set<string>;
      try {
        const event: SQSEvent = { Records: batch.map(this.toRecord) };
        const result = await this.runtime.invoke<SQSBatchResponse | undefined>(this.spec.consumer, event, {
          queue: this.name,
        });
        failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        this.lastError = failed.size > 0 ? `${failed.size} messages failed` : undefined;
      } catch (error) {
        this.lastError = (error as Error).message;
        failed = new Set(batch.map((m) => m.sk));
      }
      for (const m of batch) {
        const key = { pk: m.pk, sk: m.sk };
        if (!failed.has(m.sk)) {
          await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key }));
          left--;
        } else if (m.receiveCount + 1 >= this.spec.maxReceiveCount) {
          await this.doc.send(
            new PutCommand({
              TableName: this.table,
              Item: { ...m, pk: `${this.name}#dlq`, receiveCount: m.receiveCount + 1 },
            }),
          );
          await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key }));
          this.deadLetters++;
          left--;
        } else {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key,
              UpdateExpression: 'SET receiveCount = :n, visibleAt = :v',
              ExpressionAttributeValues: { ':n': m.receiveCount + 1, ':v': Date.now() + this.visibilityMs },
            }),
          );
        }
      }
    }
    this.depth = left;
  }

  /** Messages waiting (parked) and moved to the dead-letter side, for health and ops views. */
  async contents(): Promise<{ waiting: Message[]; dead: Message[] }> {
    return { waiting: await this.messages(this.name), dead: await this.messages(`${this.name}#dlq`) };
  }
}
