import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { jeopardyWatch } from '#adapters/jeopardy-watch';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { handler } from '#functions/scheduled/jeopardy-sweep';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { acceptedQuote, ctx, orderRequest } from '../unit/oms/fixtures.ts';
import { lambdaContext } from './stream-support.ts';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** An order placed `h` hours ago whose items were due one hour after it, with its first watch. */
const plantOrder = async (orderId: string, h: number) => {
  const placed = hoursAgo(h);
  const { order, events } = convertQuoteToOrder(
    orderRequest(),
    { ...acceptedQuote(), validUntil: new Date(Date.now() + 86_400_000).toISOString() },
    {
      ...ctx(placed),
      orderId,
      leadTimes: { 'off-fiber-1g': 3600, 'off-security': 3600, 'off-static-ip': 3600 },
    },
  );
  await saveOrder(order, 0, events, { correlationId: 'c', now: placed }, [jeopardyWatch(orderId, placed)]);
};

const watchesOf = async (orderId: string, hoursBack: number) => {
  const found: unknown[] = [];
  for (let h = hoursBack; h >= -2; h--) {
    const bucket = Math.floor((Date.now() - h * 3_600_000) / 3_600_000);
    const page = await documentClient().send(
      new QueryCommand({
        TableName: env.table('aggregates'),
        KeyConditionExpression: 'pk = :b',
        ExpressionAttributeValues: { ':b': `JEOPARDY#${bucket}` },
        Limit: 100,
      }),
    );
    found.push(...(page.Items ?? []).filter((i) => i.orderId === orderId));
  }
  return found;
};

describe('jeopardy sweep over DynamoDB Local', () => {
  it('finds a watch in a past hour, raises the breach once, drops the watch and checkpoints the hour', async () => {
    const orderId = `po-jeo-${Date.now()}`;
    await plantOrder(orderId, 3);
    expect(await watchesOf(orderId, 4)).toHaveLength(1);

    const hourBefore = Math.floor(Date.now() / 3_600_000);
    const first = await handler({}, lambdaContext());
    const hourAfter = Math.floor(Date.now() / 3_600_000);
    expect(first.raised.breached).toBeGreaterThanOrEqual(1);
    const order = (await loadOrder(orderId))!.aggregate;
    expect(order.jeopardyAlerts?.map((a) => a.jeopardyType)).toEqual(['breached']);
    expect(order.jeopardyAlerts?.[0]?.owner).toBe('order-ops');
    expect(await watchesOf(orderId, 4)).toHaveLength(0);

    const cursor = await documentClient().send(
      new GetCommand({ TableName: env.table('aggregates'), Key: { pk: 'JEOPARDY-SWEEP', sk: 'A' } }),
    );
    // Every past hour is done; the current one stays open.
    expect(cursor.Item?.bucket).toBeGreaterThanOrEqual(hourBefore);
    expect(cursor.Item?.bucket).toBeLessThanOrEqual(hourAfter);

    await handler({}, lambdaContext());
    expect((await loadOrder(orderId))!.aggregate.jeopardyAlerts).toHaveLength(1);
  });
});
