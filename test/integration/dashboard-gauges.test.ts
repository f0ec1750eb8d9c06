import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { readGauges } from '#adapters/gauge-store';
import { loadPointer } from '#adapters/read-model-store';
import { pruneEmptyHours, readGaugeSignals } from '#adapters/signal-readings';
import { hourOf } from '#domain/projections/dashboard-gauges';
import { handler } from '#functions/streams/projector';
import { insertRecord, lambdaContext, outboxItems, streamEvent } from './stream-support.ts';

const project = (items: Record<string, unknown>[]) =>
  handler(streamEvent(items.map(insertRecord)), lambdaContext());

/** An order held since `since` on a fallout of its provisioning task; `resume()` ends it. */
const heldOrder = async (since: string) => {
  const orderId = `o-${randomUUID()}`;
  const header = {
    id: orderId,
    channelId: 'sales-portal',
    accountId: `acct-${randomUUID()}`,
    quoteId: `q-${randomUUID()}`,
  };
  const save = (expectedVersion: number, state: string, events: Record<string, unknown>[]) =>
    saveAggregate({
      kind: 'ORDER',
      id: orderId,
      expectedVersion,
      aggregate: { ...header, state },
      events: events as never,
      correlationId: randomUUID(),
      now: new Date().toISOString(),
    });
  await save(0, 'held', [
    {
      eventType: 'ProductOrderCreateEvent',
      domain: 'productOrder',
      resource: { ...header, state: 'acknowledged', orderDate: since },
    },
    {
      eventType: 'ProductOrderStateChangeEvent',
      domain: 'productOrder',
      resource: {
        ...header,
        state: 'held',
        at: since,
        fallout: {
          reasonCode: 'DOWNSTREAM_REJECTED',
          ownerTeam: 'network-ops',
          nextAction: 'fix',
          since,
          taskId: 't1',
        },
      },
    },
    {
      eventType: 'FulfillmentTaskStateChangeEvent',
      domain: 'productOrder',
      resource: {
        ...header,
        taskId: 't1',
        type: 'PROVISION',
        downstream: 'provisioning',
        state: 'FAILED',
        attempts: 3,
      },
    },
  ]);
  return {
    items: () => outboxItems('ORDER', orderId),
    resume: () =>
      save(1, 'inProgress', [
        {
          eventType: 'ProductOrderStateChangeEvent',
          domain: 'productOrder',
          resource: { ...header, state: 'inProgress' },
        },
      ]),
  };
};

const orderGaugeItems = async () => {
  const { active } = await loadPointer('order-tracking');
  return (await readGauges([{ view: 'order-tracking', version: active }], [])).items['order-tracking'] ?? [];
};

describe('dashboard gauges kept by the projector (requirements 003 §9, DynamoDB Local)', () => {
  it('counts a stuck order once under its state and hour, and the sampler drops the hour once no order is in it', async () => {
    // An hour no other test uses: 777 hours ago.
    const since = new Date(Date.now() - 777 * 3_600_000).toISOString();
    const key = `st#held#${hourOf(since)}`;
    const order = await heldOrder(since);
    const items = await order.items();
    await Promise.all([project(items), project([...items].reverse()), project([...items, ...items])]);
    const counted = (await orderGaugeItems()).reduce((n, i) => n + (i.gauges[key] ?? 0), 0);
    expect(counted).toBe(1);
    const signals = await readGaugeSignals(new Date().toISOString());
    expect(signals.OrdersByStateAge!.split!['held|over24h']).toBeGreaterThanOrEqual(1);
    expect(signals.FalloutByDownstream!.split!.provisioning).toBeGreaterThanOrEqual(1);

    await order.resume();
    await project(await order.items());
    expect((await orderGaugeItems()).filter((i) => key in i.gauges).map((i) => i.gauges[key])).toEqual([0]);
    await pruneEmptyHours();
    expect((await orderGaugeItems()).some((i) => key in i.gauges)).toBe(false);
  });
});
