import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factContextOf } from '#adapters/fact-context';
import { rebuildFacts } from '#adapters/facts-rebuild';
import { outboxEnvelope } from '#adapters/outbox-item';
import { rebuildProjections, rollbackProjection, storedPartitions } from '#adapters/projection-rebuild';
import { readFallout } from '#adapters/read-model-queries';
import { loadPointer, loadRow, loadTimeline } from '#adapters/read-model-store';
import { indexedVersion, rebuildSearchIndex } from '#adapters/search-reindex';
import { channelRef } from '#domain/access/channel-ids';
import { falloutView, type OrderTrackingRow, orderTrackingView } from '#domain/projections/order-tracking';
import { approvalInboxView, type QuoteSummaryRow } from '#domain/projections/quote-summary';
import type { SourceEvent } from '#domain/projections/source-event';
import { viewCatalog } from '#domain/projections/view-catalog';
import { factPartitions, factRowsChecksum } from '#domain/reporting/facts-rebuild';
import { expireOutbox, project, saveOldHeldOrder, saveOldPendingQuote } from './old-aggregates.ts';
import { outboxItems } from './stream-support.ts';

const withoutFreshness = <T extends { freshness: unknown }>({ freshness: _, ...rest }: T) => rest;

describe('rebuild from the source of record (requirements 003 §11.4)', () => {
  it('rebuilds every view from aggregates whose events expired: rebuild complete, checksums equal, nothing lost', async () => {
    const accountId = `acct-${randomUUID()}`;
    const orderId = await saveOldHeldOrder(accountId);
    const quoteId = await saveOldPendingQuote(accountId);
    await project('ORDER', orderId);
    await project('QUOTE', quoteId);
    const before = {
      tracking: await loadPointer('order-tracking'),
      inbox: await loadPointer('approval-inbox'),
    };
    const live = {
      order: (await loadRow<OrderTrackingRow>('order-tracking', before.tracking.active, orderId))!.row,
      quote: (await loadRow<QuoteSummaryRow>('approval-inbox', before.inbox.active, quoteId))!.row,
    };

    const liveEvents = (await outboxItems('ORDER', orderId)).map(
      (item) => outboxEnvelope<SourceEvent>(item)!,
    );
    const liveContexts = await Promise.all(liveEvents.map(factContextOf));
    const liveFacts = new Map(
      [...factPartitions(liveEvents, (e) => liveContexts[liveEvents.indexOf(e)]!)].filter(([partition]) =>
        partition.startsWith('fact_order_fulfillment_task/'),
      ),
    );
    expect(liveFacts.size).toBeGreaterThan(0);

    await expireOutbox('ORDER', orderId);
    await expireOutbox('QUOTE', quoteId);
    const reports = await rebuildProjections();

    // Search documents: every one re-indexed from its aggregate, ours at the aggregate's version and state.
    const search = await rebuildSearchIndex();
    expect(search.differences).toEqual([]);
    expect(await indexedVersion('order', orderId)).toEqual({ version: 4, state: 'held' });
    expect(await indexedVersion('quote', quoteId)).toEqual({ version: 2, state: 'pending' });

    // Reporting facts: the order's task outcome facts, partition by partition, as the live events
    // gave them (its lifecycle facts keep only the milestones the aggregate keeps, see docs).
    const lake = await mkdtemp(join(tmpdir(), 'facts-rebuild-'));
    // Refusals are in no aggregate: the new lake takes them over from the one it replaces.
    const oldLake = await mkdtemp(join(tmpdir(), 'facts-old-'));
    const refusals = join('facts', 'fact_command_refusal', 'dt=2026-11-10');
    await mkdir(join(oldLake, refusals), { recursive: true });
    await writeFile(join(oldLake, refusals, 'part-1.json'), '{"operation":"order-cancel"}\n');
    const rebuilt = await rebuildFacts(lake, { refusalsFrom: oldLake });
    expect(await readFile(join(lake, refusals, 'part-1.json'), 'utf8')).toContain('order-cancel');
    for (const [partition, live] of liveFacts) {
      const ours = rebuilt.facts.get(partition)?.rows.filter((r) => r.order_id === orderId) ?? [];
      expect(factRowsChecksum(ours), partition).toBe(live.checksum);
    }
    const written = await readFile(join(lake, 'facts', [...liveFacts.keys()][0]!, 'rebuild.json'), 'utf8');
    expect(written).toContain(orderId);
    const lifecycle = [...rebuilt.facts]
      .filter(([partition]) => partition.startsWith('fact_order_lifecycle/'))
      .flatMap(([, p]) => p.rows)
      .filter((r) => r.order_id === orderId);
    expect(lifecycle.map((r) => [r.milestone, r.to_state])).toEqual(
      expect.arrayContaining([
        ['CREATED', 'acknowledged'],
        ['STATE_CHANGED', 'held'],
      ]),
    );

    for (const report of reports) {
      expect(report.diffs, report.view).toEqual([]);
      expect(report.switched, report.view).toBe(true);
      expect(report.source.fromAggregate).toBeGreaterThanOrEqual(2);
      // Partition by partition, the stored version has the checksums of the source of record.
      const stored = await storedPartitions(report.view, report.toVersion);
      const ours =
        report.view === 'account-timeline'
          ? [`${channelRef('partner-a', accountId)}#order.channel`]
          : [orderId, quoteId];
      const present = ours.filter((id) => stored.has(id));
      expect(present.length, report.view).toBeGreaterThan(0);
    }
    const tracking = await loadPointer('order-tracking');
    const rebuiltOrder = (await loadRow<OrderTrackingRow>('order-tracking', tracking.active, orderId))!.row;
    // The 16-day-old order keeps its header, its items and every task, as the live projection had them.
    const readAt = new Date().toISOString();
    expect(withoutFreshness(orderTrackingView(rebuiltOrder, readAt))).toEqual(
      withoutFreshness(orderTrackingView(live.order, readAt)),
    );
    expect(rebuiltOrder.orderDate).toBe(live.order.orderDate);
    expect(rebuiltOrder.items.length).toBeGreaterThan(0);
    const now = new Date().toISOString();
    expect(withoutFreshness(falloutView(rebuiltOrder, now))).toEqual(
      withoutFreshness(falloutView(live.order, now)),
    );
    expect(rebuiltOrder.freshness.sourceVersion).toBe(live.order.freshness.sourceVersion);

    const inbox = await loadPointer('approval-inbox');
    const rebuiltQuote = (await loadRow<QuoteSummaryRow>('approval-inbox', inbox.active, quoteId))!.row;
    expect(withoutFreshness(approvalInboxView(rebuiltQuote))).toEqual(
      withoutFreshness(approvalInboxView(live.quote)),
    );

    // One timeline per channel and account: the order's and the quote's channels.
    const active = (await loadPointer('account-timeline')).active;
    const channels = [...new Set([live.order.channelId, live.quote.channelId])];
    const timelines = await Promise.all(
      channels.map((channel) => loadTimeline(active, channelRef(channel, accountId), { limit: 50 })),
    );
    const timeline = { entries: timelines.flatMap((t) => t.entries) };
    const kinds = timeline.entries.map((e) => `${e.entryType}@${e.occurredAt}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        `PRODUCT_ORDER_CREATE@${live.order.orderDate}`,
        `QUOTE_APPROVAL_REQUESTED@${live.quote.requests[`req-${quoteId}`]!.submittedAt}`,
      ]),
    );
  });

  it('builds a view version beside the old one with its schema, switches, and rolls back by command; reads name the projection', async () => {
    const [report] = await rebuildProjections({ views: ['fallout'] });
    expect(report!.switched).toBe(true);
    const pointer = await loadPointer('fallout');
    expect(pointer.schemas?.[String(report!.toVersion)]).toBe(viewCatalog.fallout.schemaVersion);
    expect((await readFallout({ limit: 1 })).projection).toEqual({
      projection: 'fallout',
      projectionVersion: report!.toVersion,
      schemaVersion: viewCatalog.fallout.schemaVersion,
      projectorVersion: viewCatalog.fallout.projectorVersion,
    });
    const back = await rollbackProjection('fallout');
    expect(back).toEqual({ view: 'fallout', fromVersion: report!.toVersion, toVersion: report!.fromVersion });
    expect((await loadPointer('fallout')).active).toBe(report!.fromVersion);
    expect((await readFallout({ limit: 1 })).projection.projectionVersion).toBe(report!.fromVersion);
    const forward = await rollbackProjection('fallout');
    expect(forward.toVersion).toBe(report!.toVersion);
  });
});
