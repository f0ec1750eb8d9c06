import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { putEventsBatches, putEventsEntrySize } from '#adapters/put-events-limits';
import type { AsyncInvoker } from '#local/async-invoker';
import { handleAwsCall } from '#local/aws-endpoint';
import { LocalEventBus } from '#local/event-bus';
import { LambdaRuntime } from '#local/lambda-runtime';
import { LocalQueue } from '#local/local-queue';
import { withinStatePayloadLimit } from '#local/service-limits';
import type { LocalStepFunctions } from '#local/step-functions';
import { functions, queues } from '#topology';

const KiB = 1024;
const MiB = 1024 * KiB;
/** An entry of `bytes` as EventBridge counts it, for a source no rule matches (nothing is delivered). */
const entry = (bytes: number) => ({
  Source: 'test.limits',
  DetailType: 'T',
  Detail: JSON.stringify({ pad: 'x'.repeat(bytes - 'test.limits'.length - 1 - 10) }),
});
/** No rule matches the test source, so nothing is ever invoked. */
const noInvoker = {} as AsyncInvoker;
const putEvents = (bus: LocalEventBus, entries: unknown[]) =>
  handleAwsCall(
    'AWSEvents.PutEvents',
    JSON.stringify({ Entries: entries }),
    bus,
    {} as LocalStepFunctions,
    {} as never,
  );

describe('EventBridge PutEvents limits on the local bus', () => {
  it('computes an entry’s size as AWS documents it: 14 bytes of Time, UTF-8 bytes of the rest', () => {
    expect(
      putEventsEntrySize({
        Time: new Date(),
        Source: 'a.b',
        DetailType: 'Ä',
        Detail: '{"k":"€"}',
        Resources: ['arn:x', 'é'],
      }),
    ).toBe(14 + 3 + 2 + 11 + 5 + 2);
    expect(putEventsEntrySize(entry(1000))).toBe(1000);
  });

  it('refuses a request of 11 entries whole with a ValidationException; 10 are put', async () => {
    const bus = new LocalEventBus(noInvoker);
    const refused = await putEvents(
      bus,
      Array.from({ length: 11 }, () => entry(100)),
    );
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).__type).toBe('ValidationException');
    expect(bus.accepted).toHaveLength(0);
    const put = await putEvents(
      bus,
      Array.from({ length: 10 }, () => entry(100)),
    );
    expect(JSON.parse(put.body)).toMatchObject({ FailedEntryCount: 0 });
    expect(bus.accepted).toHaveLength(10);
  });

  it('refuses a request whose entries exceed 256 KB together, and one entry over 256 KB', async () => {
    const bus = new LocalEventBus(noInvoker);
    const fiveLargeQuotes = Array.from({ length: 5 }, () => entry(55 * KiB));
    const refused = await putEvents(bus, fiveLargeQuotes);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({
      __type: 'ValidationException',
      message: expect.stringContaining('Total size of the entries in the request is over the limit'),
    });
    expect((await putEvents(bus, [entry(256 * KiB + 1)])).status).toBe(400);
    expect(bus.accepted).toHaveLength(0);
    expect(JSON.parse((await putEvents(bus, fiveLargeQuotes.slice(0, 4))).body).FailedEntryCount).toBe(0);
    expect(bus.accepted).toHaveLength(4);
  });

  it('the publisher’s batches stay within both limits, in order, and set aside what fits no request', () => {
    const sizes = [55, 55, 55, 55, 55, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 300, 2].map((k) => k * KiB);
    const { batches, oversized } = putEventsBatches(sizes, (s) => entry(s));
    expect(oversized).toEqual([300 * KiB]);
    expect(batches.flat()).toEqual(sizes.filter((s) => s !== 300 * KiB));
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(10);
      expect(batch.reduce((n, s) => n + s, 0)).toBeLessThan(256 * KiB);
    }
  });
});

describe('Step Functions state payload limit (256 KiB)', () => {
  const definition = {
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Succeed' },
    },
  };
  const run = (result: unknown, input: unknown = {}) =>
    new StateMachine(definition as never, { validationOptions: { checkArn: false } }).run(input as never, {
      overrides: {
        taskResourceLocalHandlers: {
          Work: (i: unknown) => withinStatePayloadLimit('Work', i, async () => result) as never,
        },
      },
    }).result;

  it('fails the execution with States.DataLimitExceeded for a result over the quota; States.ALL does not catch it', async () => {
    await expect(run({ pad: 'x'.repeat(256 * KiB) })).rejects.toMatchObject({
      cause: { name: 'States.DataLimitExceeded' },
    });
    await expect(run({}, { pad: 'x'.repeat(256 * KiB) })).rejects.toMatchObject({
      cause: { name: 'States.DataLimitExceeded' },
    });
    await expect(run({ pad: 'x'.repeat(250 * KiB) })).resolves.toEqual({ pad: 'x'.repeat(250 * KiB) });
  });
});

describe('SQS message size (1 MiB)', () => {
  it('refuses a message over 1 MiB with InvalidParameterValue and stores nothing', async () => {
    const stored: unknown[] = [];
    const doc = { send: async (command: unknown) => stored.push(command) } as never;
    const [name, spec] = Object.entries(queues)[0]!;
    const queue = new LocalQueue(name as never, spec, doc, {} as LambdaRuntime, 1000);
    await expect(queue.send({ pad: 'x'.repeat(MiB) })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    expect(stored).toHaveLength(0);
    await queue.send({ pad: 'x'.repeat(MiB - 100) });
    expect(stored).toHaveLength(1);
  });
});

describe('Lambda invocation payload (6 MB request and response, synchronous)', () => {
  const root = mkdtempSync(join(tmpdir(), 'limits-'));
  const entryFile = join(root, functions.health.entry);
  mkdirSync(join(entryFile, '..'), { recursive: true });
  writeFileSync(
    entryFile,
    'export const handler = async (event) => ({ body: "x".repeat(event.bytes ?? 1) });\n',
  );
  const runtime = new LambdaRuntime(root);

  it('refuses a request over 6 MB with RequestTooLargeException before the handler runs', async () => {
    await expect(runtime.invoke('health', { pad: 'x'.repeat(6 * MiB) })).rejects.toMatchObject({
      name: 'RequestTooLargeException',
      statusCode: 413,
    });
    expect(runtime.invocations.get('health')?.count ?? 0).toBe(0);
  });

  it('fails an invocation whose response exceeds 6 MB', async () => {
    await expect(runtime.invoke('health', { bytes: 6 * MiB })).rejects.toMatchObject({
      name: 'Function.ResponseSizeTooLarge',
    });
    await expect(runtime.invoke('health', { bytes: 5 * MiB })).resolves.toMatchObject({
      body: expect.any(String),
    });
  });
});
