import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptedQuotesNotConverted,
  fulfilledWithoutBilling,
  type OrderFacts,
  projectionDrift,
  type TaskFacts,
  taskAgainstDownstream,
} from '#domain/reconciliation/checks';
import { findingKey } from '#domain/reconciliation/findings';

const now = '2026-11-10T12:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(now) - h * 3_600_000).toISOString();
const hour = 3_600_000;

const task = (over: Partial<TaskFacts> = {}): TaskFacts => ({
  id: 't-1',
  orderItemId: 'item-1',
  type: 'ACCESS_PROVISION',
  action: 'add',
  downstream: 'provisioning',
  correlationId: 'ful-1',
  state: 'PENDING',
  attempts: 0,
  ...over,
});

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: 'o-1',
  version: 3,
  state: 'inProgress',
  quoteId: 'q-1',
  channelId: 'sales-portal',
  orderDate: hoursAgo(5),
  planned: true,
  tasks: [task()],
  ...over,
});

describe('accepted quote → order', () => {
  it('finds an accepted quote without an order after the threshold, and only that', () => {
    const quotes = [
      { id: 'q-old', version: 5, state: 'accepted', channelId: 'c', acceptedAt: hoursAgo(3) },
      { id: 'q-new', version: 5, state: 'accepted', channelId: 'c', acceptedAt: hoursAgo(0.1) },
      { id: 'q-conv', version: 5, state: 'accepted', channelId: 'c', acceptedAt: hoursAgo(3) },
      { id: 'q-appr', version: 4, state: 'approved', channelId: 'c' },
    ];
    const findings = acceptedQuotesNotConverted(quotes, new Set(['q-conv']), now, hour);
    expect(findings.map((f) => f.sourceRecord.id)).toEqual(['q-old']);
    expect(findings[0]).toMatchObject({
      classification: 'ACCEPTED_QUOTE_NOT_CONVERTED',
      counterpartRecord: null,
      repairDecision: { mode: 'MANUAL' },
    });
  });

  it('never reports a converted quote, whatever the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 10 * hour }),
        (h, threshold) => {
          const q = { id: 'q', version: 1, state: 'accepted', channelId: 'c', acceptedAt: hoursAgo(h) };
          expect(acceptedQuotesNotConverted([q], new Set(['q']), now, threshold)).toEqual([]);
        },
      ),
    );
  });
});

describe('task → downstream', () => {
  it('OMS pending or unknown, downstream completed: OMS behind, manual MARK_COMPLETE with evidence', () => {
    for (const state of ['PENDING', 'IN_PROGRESS', 'UNKNOWN', 'FAILED']) {
      const f = taskAgainstDownstream(order(), task({ state }), { status: 'DONE', downstreamRef: 'prov-9' });
      expect(f).toMatchObject({
        classification: 'OMS_BEHIND_DOWNSTREAM',
        counterpartRecord: { id: 'prov-9', state: 'COMPLETED' },
        repairDecision: { mode: 'MANUAL' },
      });
      expect(f!.repairDecision.action).toContain('prov-9');
    }
  });

  it('OMS done, downstream has nothing: missing side effect', () => {
    const f = taskAgainstDownstream(order(), task({ state: 'DONE' }), { status: 'NOT_FOUND' });
    expect(f?.classification).toBe('DOWNSTREAM_MISSING_SIDE_EFFECT');
  });

  it('agreement, a pending downstream or an unreachable one is not a finding', () => {
    expect(
      taskAgainstDownstream(order(), task({ state: 'DONE' }), { status: 'DONE', downstreamRef: 'r' }),
    ).toBeUndefined();
    expect(
      taskAgainstDownstream(order(), task({ state: 'PENDING' }), { status: 'NOT_FOUND' }),
    ).toBeUndefined();
    expect(
      taskAgainstDownstream(order(), task({ state: 'IN_PROGRESS' }), {
        status: 'PENDING',
        downstreamRef: 'r',
      }),
    ).toBeUndefined();
    expect(
      taskAgainstDownstream(order(), task({ state: 'DONE' }), { status: 'UNAVAILABLE', error: 'x' }),
    ).toBeUndefined();
  });
});

describe('fulfilled item → billing', () => {
  const billing = (state: string) =>
    task({
      id: 't-b',
      type: 'BILLING_HANDOFF',
      downstream: 'billing',
      orderItemId: 'order',
      state,
      correlationId: 'ful-b',
    });

  it('a completed order whose billing handoff is not done', () => {
    const f = fulfilledWithoutBilling(
      order({
        state: 'completed',
        tasks: [task({ state: 'DONE', completedAt: hoursAgo(0.1) }), billing('PENDING')],
      }),
      now,
      hour,
    );
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      classification: 'FULFILLED_WITHOUT_BILLING',
      counterpartRecord: { state: 'PENDING' },
    });
  });

  it('a handoff in parts is done only when every part is: the first part not done is the counterpart', () => {
    const part = (id: string, state: string) => ({ ...billing(state), id, correlationId: `ful-${id}` });
    const withParts = (last: string) =>
      fulfilledWithoutBilling(
        order({
          state: 'completed',
          tasks: [
            task({ state: 'DONE', completedAt: hoursAgo(0.1) }),
            part('BILLING_HANDOFF', 'DONE'),
            part('BILLING_HANDOFF-2', last),
          ],
        }),
        now,
        hour,
      );
    expect(withParts('IN_PROGRESS')[0]).toMatchObject({
      classification: 'FULFILLED_WITHOUT_BILLING',
      counterpartRecord: { id: 'BILLING_HANDOFF-2', state: 'IN_PROGRESS' },
    });
    expect(withParts('DONE')).toEqual([]);
  });

  it('an item fulfilled longer than the threshold ago, billing missing', () => {
    expect(
      fulfilledWithoutBilling(
        order({ tasks: [task({ state: 'DONE', completedAt: hoursAgo(2) })] }),
        now,
        hour,
      ),
    ).toHaveLength(1);
    expect(
      fulfilledWithoutBilling(
        order({ tasks: [task({ state: 'DONE', completedAt: hoursAgo(0.5) })] }),
        now,
        hour,
      ),
    ).toHaveLength(0);
  });

  it('billed, cancelled or unfulfilled orders are fine', () => {
    expect(
      fulfilledWithoutBilling(
        order({ state: 'completed', tasks: [task({ state: 'DONE' }), billing('DONE')] }),
        now,
        hour,
      ),
    ).toEqual([]);
    expect(
      fulfilledWithoutBilling(order({ state: 'cancelled', tasks: [task({ state: 'DONE' })] }), now, 0),
    ).toEqual([]);
    expect(fulfilledWithoutBilling(order({ tasks: [task({ state: 'IN_PROGRESS' })] }), now, 0)).toEqual([]);
  });
});

describe('projection → source', () => {
  it('a mismatched or missing row is auto-repaired from source; an extra row needs a human', () => {
    const mismatch = projectionDrift({
      view: 'order-tracking',
      partition: 'o-1',
      kind: 'CHECKSUM_MISMATCH',
      sourceChecksum: 'a',
      projectionChecksum: 'b',
    });
    expect(mismatch.repairDecision.mode).toBe('AUTO');
    expect(
      projectionDrift({ view: 'fallout', partition: 'o-1', kind: 'MISSING_IN_PROJECTION' }).repairDecision
        .mode,
    ).toBe('AUTO');
    expect(
      projectionDrift({ view: 'fallout', partition: 'o-1', kind: 'EXTRA_IN_PROJECTION' }).repairDecision.mode,
    ).toBe('MANUAL');
    expect(findingKey(mismatch)).toBe('PROJECTION_DRIFT:order-tracking:source:o-1:o-1');
  });
});
