import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readGaugeSignals } from '#adapters/signal-readings';
import { handler } from '#functions/streams/projector';
import { plantFallout } from '../support/planted-fallout.ts';
import { insertRecord, lambdaContext, outboxItems, streamEvent } from './stream-support.ts';

const project = (items: Record<string, unknown>[]) =>
  handler(streamEvent(items.map(insertRecord)), lambdaContext());

const orderThatFallsOut = async (reasonCode: string) => {
  const { orderId, resume } = await plantFallout({
    reasonCode,
    since: new Date(Date.now() - 3_600_000).toISOString(),
  });
  return {
    items: await outboxItems('ORDER', orderId),
    resume: async () => {
      await resume();
      return outboxItems('ORDER', orderId);
    },
  };
};

const inFallout = async (reasonCode: string) => {
  const s = await readGaugeSignals(new Date().toISOString());
  return (s.OrdersInFallout!.detail!.byReason as Record<string, number>)[reasonCode] ?? 0;
};

describe('gauges kept by the projector (DynamoDB Local)', () => {
  it('counts an order in fallout once, whatever the duplicates and concurrency of deliveries', async () => {
    const reason = `R-${randomUUID()}`;
    const { items } = await orderThatFallsOut(reason);
    await Promise.all([project(items), project([...items].reverse()), project([...items, ...items])]);
    expect(await inFallout(reason)).toBe(1);
  });

  it('takes the order out of the gauge when it resumes, even if the resume is delivered twice', async () => {
    const reason = `R-${randomUUID()}`;
    const { items, resume } = await orderThatFallsOut(reason);
    await project(items);
    expect(await inFallout(reason)).toBe(1);
    const all = await resume();
    await project(all);
    await project(all);
    expect(await inFallout(reason)).toBe(0);
  });

  it('reads the oldest open fallout from one row and reports its age in seconds', async () => {
    const s = await readGaugeSignals(new Date().toISOString());
    expect(s.OldestFalloutAge!.value).toBeGreaterThanOrEqual(0);
    expect(s.OrdersInFallout!.value).toBeGreaterThanOrEqual(0);
    expect(s.ProjectionLag!.asOf).not.toBeNull();
  });
});
