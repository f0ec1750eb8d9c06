import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { comparePartitions, rebuildProjections, storedPartitions } from '#adapters/projection-rebuild';
import { loadPointer } from '#adapters/read-model-store';
import { channelRef } from '#domain/access/channel-ids';
import { viewNames } from '#domain/projections/views';
import { handler } from '#functions/streams/projector';
import {
  insertRecord,
  lambdaContext,
  outboxItems,
  saveQuoteLife,
  saveVersion,
  streamEvent,
} from './stream-support.ts';

const orderEvents = (orderId: string, accountId: string) => {
  const header = (state: string) => ({
    id: orderId,
    state,
    channelId: 'sales-portal',
    accountId,
    quoteId: 'q-x',
  });
  const task = (state: string, attempts: number) => ({
    orderId,
    channelId: 'sales-portal',
    taskId: 't-1',
    orderItemId: 'item-1',
    type: 'ACCESS_PROVISION',
    action: 'add',
    downstream: 'provisioning',
    correlationId: `ful-${orderId}`,
    state,
    attempts,
    ownerTeam: 'network-ops',
  });
  return [
    [
      {
        eventType: 'ProductOrderCreateEvent',
        domain: 'productOrder',
        resource: {
          ...header('acknowledged'),
          orderDate: new Date().toISOString(),
          productOrderItem: [{ id: 'item-1' }],
        },
      },
    ],
    [
      {
        eventType: 'ProductOrderStateChangeEvent',
        domain: 'productOrder',
        resource: { ...header('inProgress'), previousState: 'acknowledged' },
      },
      {
        eventType: 'FulfillmentTaskStateChangeEvent',
        domain: 'productOrder',
        resource: task('IN_PROGRESS', 1),
      },
    ],
    [
      { eventType: 'FulfillmentTaskStateChangeEvent', domain: 'productOrder', resource: task('FAILED', 1) },
      {
        eventType: 'ProductOrderStateChangeEvent',
        domain: 'productOrder',
        resource: {
          ...header('held'),
          previousState: 'inProgress',
          fallout: {
            reasonCode: 'DOWNSTREAM_REJECTED',
            ownerTeam: 'network-ops',
            nextAction: 'fix',
            since: new Date().toISOString(),
            taskId: 't-1',
          },
        },
      },
    ],
  ];
};

describe('rebuild of the projections (blue/green)', () => {
  it('a rebuild from the source equals the incrementally built projection, then becomes active', async () => {
    const accountId = `acct-${randomUUID()}`;
    const quoteIds = [0, 1, 2].map(() => `q-${randomUUID()}`);
    const untils = ['pending', 'approved', 'accepted'] as const;
    for (const [i, quoteId] of quoteIds.entries())
      await saveQuoteLife({ quoteId, accountId, channelId: 'partner-a', until: untils[i] });
    const orderId = `o-${randomUUID()}`;
    let v = 0;
    for (const events of orderEvents(orderId, accountId))
      v = await saveVersion('ORDER', orderId, v, { id: orderId }, events);
    const items = [
      ...(await Promise.all(quoteIds.map((q) => outboxItems('QUOTE', q)))).flat(),
      ...(await outboxItems('ORDER', orderId)),
    ];
    // Incremental: delivered in batches, shuffled, one batch twice.
    const shuffled = [...items].sort(() => Math.random() - 0.5);
    await handler(streamEvent(shuffled.slice(0, 5).map(insertRecord)), lambdaContext());
    await handler(streamEvent(shuffled.map(insertRecord)), lambdaContext());

    const before = new Map(
      await Promise.all(viewNames.map(async (view) => [view, await loadPointer(view)] as const)),
    );
    const reports = await rebuildProjections();
    for (const report of reports) {
      expect(report.diffs).toEqual([]);
      expect(report.switched).toBe(true);
      expect(report.fromVersion).toBe(before.get(report.view)!.active);
      const after = await loadPointer(report.view);
      expect(after.active).toBe(report.toVersion);
      expect(after.previous).toBe(report.fromVersion);
      expect(after.building).toBeUndefined();
      // Partition by partition, the rebuilt version equals the incremental one for this test's data.
      const incremental = await storedPartitions(report.view, report.fromVersion);
      const rebuilt = await storedPartitions(report.view, report.toVersion);
      const ours = [
        ...quoteIds,
        orderId,
        channelRef('partner-a', accountId),
        channelRef('sales-portal', accountId),
      ];
      // A row is its aggregate id; a timeline partition is an account's stream (`<ref>#<stream>`).
      const isOurs = (k: string) => ours.some((o) => k === o || k.startsWith(`${o}#`));
      const pick = (p: typeof incremental) => new Map([...p].filter(([k]) => isOurs(k)));
      expect(pick(rebuilt).size).toBeGreaterThan(0);
      expect(comparePartitions(pick(incremental), pick(rebuilt))).toEqual([]);
      expect([...pick(rebuilt).values()].map((x) => x.checksum).sort()).toEqual(
        [...pick(incremental).values()].map((x) => x.checksum).sort(),
      );
    }
  });

  it('the projector writes to the version being built as well as the active one', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveQuoteLife({
      quoteId,
      accountId: `acct-${randomUUID()}`,
      channelId: 'partner-b',
      until: 'pending',
    });
    const items = await outboxItems('QUOTE', quoteId);
    const reports = await rebuildProjections({ views: ['approval-inbox'] });
    expect(reports[0]!.switched).toBe(true);
    await handler(streamEvent(items.map(insertRecord)), lambdaContext());
    const pointer = await loadPointer('approval-inbox');
    const stored = await storedPartitions('approval-inbox', pointer.active);
    expect(stored.get(quoteId)?.sourceVersion).toBe(2);
  });
});
