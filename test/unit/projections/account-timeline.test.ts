import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entryStream,
  readableStreams,
  type TimelineEntry,
  type TimelineStream,
  timelineEntryOf,
} from '#domain/projections/account-timeline';
import type { SourceEvent } from '#domain/projections/source-event';
import {
  fromCursorPosition,
  isCursorPosition,
  mergeTimelinePage,
  type TimelinePosition,
  toCursorPosition,
} from '#domain/projections/timeline-pages';
import { listCursor, sealCursor } from '#plumbing/http/cursor';
import { resourceEnv } from '#topology';
import { at, ev } from './fixtures.ts';

const order = { id: 'o-3', state: 'inProgress', channelId: 'partner-a', accountId: 'acct-3', quoteId: 'q-3' };
const task = (
  type: string,
  state: string,
  previousState: string | null,
  extra: Record<string, unknown> = {},
) => ({
  orderId: 'o-3',
  channelId: 'partner-a',
  accountId: 'acct-3',
  taskId: `t-${type}`,
  orderItemId: 'item-1',
  type,
  action: 'add',
  downstream: type === 'BILLING_HANDOFF' ? 'billing' : 'provisioning',
  correlationId: 'ful-1',
  state,
  previousState,
  attempts: 1,
  ownerTeam: 'network-ops',
  queries: 0,
  ...extra,
});
const product = (eventType: string, extra: Record<string, unknown> = {}): SourceEvent => ({
  ...ev('ORDER', 'prod-1', 1, eventType, {
    id: 'prod-1',
    status: 'active',
    channelId: 'partner-a',
    accountId: 'acct-3',
    offeringId: 'off-fiber-1g',
    orderId: 'o-3',
    orderItemId: 'item-1',
    at: at(9),
    ...extra,
  }),
  aggregateType: 'PRODUCT',
  domain: 'productInventory',
});

const entry = (e: SourceEvent) => timelineEntryOf(e, at(100));
const streamOfEvent = (e: SourceEvent) => {
  const x = entry(e);
  return x && `${entryStream(x)} ${x.entryType}`;
};

describe('account timeline sources and visibility', () => {
  it('files every source event under its source, visible to the channel or to staff only', () => {
    const quote = { id: 'q-3', state: 'pending', channelId: 'partner-a', accountId: 'acct-3', validFor: {} };
    expect(streamOfEvent(ev('QUOTE', 'q-3', 1, 'QuoteCreateEvent', quote))).toBe(
      'quote.channel QUOTE_CREATE',
    );
    expect(
      streamOfEvent(
        ev('QUOTE', 'q-3', 2, 'QuoteApprovalRequestedEvent', {
          ...quote,
          approvalRequest: { id: 'r', reasonCodes: ['DISCOUNT_ABOVE_FLOOR'] },
        }),
      ),
    ).toBe('quote.staff QUOTE_APPROVAL_REQUESTED');
    expect(streamOfEvent(ev('ORDER', 'o-3', 1, 'ProductOrderCreateEvent', order))).toBe(
      'order.channel PRODUCT_ORDER_CREATE',
    );
    expect(
      streamOfEvent(
        ev('ORDER', 'o-3', 4, 'ProductOrderStateChangeEvent', {
          ...order,
          state: 'held',
          fallout: { reasonCode: 'DOWNSTREAM_REJECTED' },
        }),
      ),
    ).toBe('order.staff ORDER_FALLOUT');
    expect(
      streamOfEvent(
        ev(
          'ORDER',
          'o-3',
          2,
          'FulfillmentTaskStateChangeEvent',
          task('ACCESS_PROVISION', 'IN_PROGRESS', 'PENDING'),
        ),
      ),
    ).toBe('task.channel TASK_DISPATCHED');
    expect(
      streamOfEvent(
        ev(
          'ORDER',
          'o-3',
          3,
          'FulfillmentTaskStateChangeEvent',
          task('ACCESS_PROVISION', 'DONE', 'IN_PROGRESS'),
        ),
      ),
    ).toBe('task.channel TASK_COMPLETED');
    expect(
      streamOfEvent(
        ev('ORDER', 'o-3', 3, 'ProductOrderJeopardyEvent', {
          ...order,
          jeopardyAlert: {
            id: 'j',
            jeopardyType: 'atRisk',
            alertDate: at(3),
            owner: 'network-ops',
            nextAction: 'x',
          },
        }),
      ),
    ).toBe('task.channel ORDER_JEOPARDY');
    expect(
      streamOfEvent(
        ev(
          'ORDER',
          'o-3',
          5,
          'FulfillmentTaskStateChangeEvent',
          task('BILLING_HANDOFF', 'IN_PROGRESS', 'PENDING'),
        ),
      ),
    ).toBe('billing.channel BILLING_HANDOFF_SENT');
    expect(
      streamOfEvent(
        ev(
          'ORDER',
          'o-3',
          6,
          'FulfillmentTaskStateChangeEvent',
          task('BILLING_HANDOFF', 'DONE', 'IN_PROGRESS'),
        ),
      ),
    ).toBe('billing.channel BILLING_ACKNOWLEDGED');
    expect(
      streamOfEvent(
        ev('ORDER', 'o-3', 5, 'FulfillmentTaskRepairEvent', {
          orderId: 'o-3',
          channelId: 'partner-a',
          accountId: 'acct-3',
          id: 'rep-1',
          actor: { principalId: 'ops-1', role: 'ops' },
          action: 'RETRY',
          taskId: 't-ACCESS_PROVISION',
          reasonCode: 'VLAN_FIXED',
        }),
      ),
    ).toBe('repair.staff TASK_REPAIRED');
    expect(streamOfEvent(product('ProductCreateEvent', { quoteId: 'q-3' }))).toBe(
      'asset.channel PRODUCT_CREATE',
    );
    expect(streamOfEvent(product('ProductStateChangeEvent', { previousStatus: 'created' }))).toBe(
      'asset.channel PRODUCT_STATE_CHANGE',
    );
  });

  it('keeps internal detail out of channel entries and in staff ones', () => {
    const failed = entry(
      ev(
        'ORDER',
        'o-3',
        3,
        'FulfillmentTaskStateChangeEvent',
        task('ACCESS_PROVISION', 'FAILED', 'IN_PROGRESS', { lastErrorCode: 'MISSING_PARAM' }),
      ),
    )!;
    expect(failed).toMatchObject({ visibility: 'staff', entryType: 'TASK_FAILED' });
    expect(failed.title).toContain('MISSING_PARAM');
    expect(failed.title).toContain('provisioning');
    const dispatched = entry(
      ev(
        'ORDER',
        'o-3',
        2,
        'FulfillmentTaskStateChangeEvent',
        task('ACCESS_PROVISION', 'IN_PROGRESS', 'PENDING'),
      ),
    )!;
    expect(dispatched.title).not.toContain('provisioning');
    expect(dispatched.related).toEqual({ orderId: 'o-3', taskId: 't-ACCESS_PROVISION' });
  });

  it('leaves out what is not a change of state: retries, queries, events naming no account', () => {
    expect(
      entry(
        ev(
          'ORDER',
          'o-3',
          4,
          'FulfillmentTaskStateChangeEvent',
          task('ACCESS_PROVISION', 'IN_PROGRESS', 'IN_PROGRESS'),
        ),
      ),
    ).toBeUndefined();
    const { accountId: _, ...noAccount } = task('ACCESS_PROVISION', 'DONE', 'IN_PROGRESS');
    expect(entry(ev('ORDER', 'o-3', 4, 'FulfillmentTaskStateChangeEvent', noAccount))).toBeUndefined();
  });

  it('lets a partner read channel streams only', () => {
    expect(readableStreams('partner')).toEqual([
      'quote.channel',
      'order.channel',
      'task.channel',
      'repair.channel',
      'asset.channel',
      'billing.channel',
    ]);
    expect(readableStreams('internal', ['repair'])).toEqual(['repair.channel', 'repair.staff']);
  });

  it('seals one position per stream, compactly: even with every stream positioned the cursor fits', () => {
    process.env[resourceEnv.cursorKey] = 'unit-test-cursor-key-0123456789abcdef';
    // The longest keys: a snapshot event of an aggregate with a 64-character id.
    const key = (i: number) =>
      `2026-12-01T00:00:00.000Z#~snapshot-${String(i).padStart(4, '0')}-ORDER-${'o'.repeat(64)}`;
    const full = Object.fromEntries(
      readableStreams('internal').map((s, i) => [s, key(i)]),
    ) as TimelinePosition;
    const principal = { principalId: 'ops-1', role: 'ops' as const, channelId: 'ops' };
    const scope = { principal, route: 'view-account-timeline/a', query: {} };
    const cursor = sealCursor(toCursorPosition(full), scope);
    expect(cursor.length).toBeLessThanOrEqual(2048);
    const opened = listCursor({ ...scope, query: { cursor } }, isCursorPosition).after!;
    expect(fromCursorPosition(opened)).toEqual(full);
    expect(fromCursorPosition(toCursorPosition({ 'task.channel': 'k' }))).toEqual({ 'task.channel': 'k' });
    expect(isCursorPosition(['k'])).toBe(false);
    expect(isCursorPosition(toCursorPosition({}).map(() => 3))).toBe(false);
  });
});

describe('timeline pages with per-stream positions', () => {
  const streams: TimelineStream[] = ['quote.channel', 'order.channel', 'task.staff'];
  const stored = (keys: Record<TimelineStream, string[]>) =>
    Object.fromEntries(
      Object.entries(keys).map(([s, ks]) => [
        s,
        [...new Set(ks)].sort().map((key) => ({ key }) as TimelineEntry),
      ]),
    ) as Record<TimelineStream, TimelineEntry[]>;

  /** What the store does: each stream read from its position on, at most `limit` entries. */
  const readPageOf = (
    data: Record<TimelineStream, TimelineEntry[]>,
    limit: number,
    after?: TimelinePosition,
  ) =>
    mergeTimelinePage(
      streams.map((stream) => {
        const rest = (data[stream] ?? []).filter(
          (e) => after?.[stream] === undefined || e.key > after[stream]!,
        );
        return { stream, entries: rest.slice(0, limit), more: rest.length > limit };
      }),
      limit,
      after,
    );

  it('pages through every stream: each entry once, in time order, whatever the page size', () => {
    const key = fc.integer({ min: 0, max: 500 }).map((n) => `2026-11-01T${String(n).padStart(4, '0')}`);
    fc.assert(
      fc.property(
        fc.record({
          'quote.channel': fc.array(
            key.map((k) => `${k}#q`),
            { maxLength: 15 },
          ),
          'order.channel': fc.array(
            key.map((k) => `${k}#o`),
            { maxLength: 15 },
          ),
          'task.staff': fc.array(
            key.map((k) => `${k}#t`),
            { maxLength: 15 },
          ),
        }),
        fc.integer({ min: 1, max: 7 }),
        (keys, limit) => {
          const data = stored(keys as Record<TimelineStream, string[]>);
          const seen: string[] = [];
          let after: TimelinePosition | undefined;
          for (let pages = 0; pages < 100; pages++) {
            const page = readPageOf(data, limit, after);
            expect(page.entries.length).toBeLessThanOrEqual(limit);
            seen.push(...page.entries.map((e) => e.key));
            if (!page.next) break;
            after = page.next;
          }
          const all = Object.values(data)
            .flat()
            .map((e) => e.key)
            .sort();
          expect(seen).toEqual(all);
        },
      ),
    );
  });
});
