import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import type { DeliveryStreamName, DeliveryStreamSpec } from '#topology';
import type { AcceptedEvent } from './event-bus.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';
import { localAccount, localRegion } from './local-aws.ts';

/**
 * The local Kinesis Data Firehose: buffers the events its rule delivers, runs the same
 * transformation function Firehose runs, and writes each buffer's output per partition as one
 * NDJSON object under `<dir>/<prefix>` (written to a temporary name and renamed, so a reader
 * never sees half a file). Records the transformation refuses go to `errors/` as Firehose does.
 */
export class LocalDeliveryStream {
  private buffer: AcceptedEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  delivered = 0;
  failed = 0;

  constructor(
    private readonly runtime: LambdaRuntime,
    readonly name: DeliveryStreamName,
    readonly spec: DeliveryStreamSpec,
    readonly dir: string,
    private readonly bufferMs = 250,
  ) {}

  put(event: AcceptedEvent): void {
    this.buffer.push(event);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.bufferMs);
  }

  /** Writes everything buffered so far; resolves when it is on disk. */
  flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(() => (batch.length ? this.deliver(batch) : undefined));
    return this.flushing;
  }

  private async deliver(batch: AcceptedEvent[]): Promise<void> {
    const request: FirehoseTransformationEvent = {
      invocationId: randomUUID(),
      deliveryStreamArn: `arn:aws:firehose:${localRegion}:${localAccount}:deliverystream/${this.name}`,
      region: localRegion,
      records: batch.map((event, i) => ({
        recordId: String(i),
        approximateArrivalTimestamp: Date.now(),
        data: Buffer.from(JSON.stringify(event)).toString('base64'),
      })),
    };
    let result: FirehoseTransformationResult;
    try {
      result = await this.runtime.invoke<FirehoseTransformationResult>(this.spec.processor, request);
    } catch (error) {
      this.failed += batch.length;
      await this.write(
        `errors/processing-failed/`,
        batch.map((e) => `${JSON.stringify({ error: (error as Error).message, event: e })}\n`).join(''),
      );
      return;
    }
    const byPrefix = new Map<string, string[]>();
    for (const record of result.records) {
      if (record.result === 'Dropped') continue;
      const data = Buffer.from(record.data ?? '', 'base64').toString('utf8');
      const prefix =
        record.result === 'Ok'
          ? this.spec.prefix.replace(
              /\{(\w+)\}/g,
              (_, key: string) => record.metadata?.partitionKeys[key] ?? 'unknown',
            )
          : 'errors/processing-failed/';
      if (record.result === 'Ok') this.delivered++;
      else this.failed++;
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), data]);
    }
    for (const [prefix, parts] of byPrefix) await this.write(prefix, parts.join(''));
  }

  private async write(prefix: string, body: string): Promise<void> {
    const folder = join(this.dir, prefix);
    await mkdir(folder, { recursive: true });
    const name = `${this.name}-${Date.now()}-${randomUUID()}.json`;
    await writeFile(join(folder, `.${name}.tmp`), body);
    await rename(join(folder, `.${name}.tmp`), join(folder, name));
  }

  async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
