import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderEvidenceRecords } from '#domain/audit/evidence-records';
import { type DomainError, isDomainError } from '#domain/errors';
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { type AmendmentRequest, amendOrder } from '#domain/order/amend-order';
import { isBillingHandoff } from '#domain/order/billing-handoff';
import { requestCancellation } from '#domain/order/cancellation';
import type { CommittedLine } from '#domain/order/committed-line';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import {
  nextStep,
  recordFallout,
  recordTaskCompleted,
  recordTaskDispatched,
  recordTaskRetryableFailure,
  startFulfillment,
} from '#domain/order/fulfillment';
import {
  isItemPastPointOfNoReturn,
  itemsPastPointOfNoReturn,
  pointOfNoReturnTasks,
} from '#domain/order/item-point-of-no-return';
import type { ProductOrder } from '#domain/order/product-order';
import { validateTaskGraph } from '#domain/order/task-graph';
import { acceptedQuote, at, ctx, frozen, orderRequest, runHappyPath } from './fixtures.ts';

const price = {
  listOneTime: 0,
  listRecurring: 10000,
  discountPercent: 0,
  netOneTime: 0,
  netRecurring: 10000,
};
const line = (quoteItemId: string, offeringId: string, options: CommittedLine['options']): CommittedLine => ({
  quoteItemId,
  offeringId,
  quantity: 1,
  options,
  price,
});

/** item-1 fiber, item-2 fiber, item-3 SD-WAN, item-4 static IP (waits for item-1's service). */
const originalLines = [
  line('ql-1', 'off-fiber-1g', { term: 36 }),
  line('ql-2', 'off-fiber-1g', { term: 24 }),
  line('ql-3', 'off-sdwan', { sites: 2 }),
  line('ql-4', 'off-static-ip', { size: 8 }),
];
const original = acceptedQuote({ lines: originalLines });

/** The amended deal: quote q-2 repeats the kept lines (new line ids) and adds an SD-WAN, item-5. */
const revisionQuote = (kept: readonly string[], quoteId = 'q-2'): AcceptedQuoteSnapshot =>
  acceptedQuote({
    quoteId,
    acceptance: { snapshotHash: `sha256:${quoteId}`, acceptedAt: at(2) },
    lines: [
      ...originalLines
        .map((l, i) => ({ ...l, quoteItemId: `${quoteId}-${i + 1}` }))
        .filter((_, i) => kept.includes(`item-${i + 1}`)),
      line(`${quoteId}-5`, 'off-sdwan', { sites: 5 }),
    ],
  });

const revisionOf = (kept: readonly string[], revision = 1, quoteId = 'q-2'): AmendmentRequest => ({
  revision,
  reason: 'customer changed sites',
  productOrderItem: [
    ...kept.map((id) => ({ id, action: 'add', quoteItem: { id: `${quoteId}-${id.slice(5)}` } })),
    { id: 'item-5', action: 'add', quoteItem: { id: `${quoteId}-5` } },
  ],
});

const created = (): ProductOrder =>
  convertQuoteToOrder(orderRequest(original), original, { ...ctx(), orderId: 'ord-1' }).order;
const started = (): ProductOrder => startFulfillment(created(), ctx(at(1))).order;

const amend = (order: ProductOrder, kept: readonly string[], revision = 1) =>
  amendOrder(frozen(order), revisionOf(kept, revision), revisionQuote(kept), ctx(at(3)));

const dispatch = (order: ProductOrder, taskId: string) =>
  recordTaskDispatched(order, taskId, ctx(at(2))).order;
const done = (order: ProductOrder, taskId: string) =>
  recordTaskCompleted(
    dispatch(order, taskId),
    taskId,
    { downstreamRef: `ds-${taskId}`, source: 'response' },
    ctx(at(2)),
  ).order;
const taskOf = (order: ProductOrder, id: string) => order.tasks.find((t) => t.id === id)!;

const failure = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('per-item point of no return', () => {
  it('is the item task no other task of the item waits for: a fiber commits at its service activation', () => {
    const order = started();
    expect(pointOfNoReturnTasks(order, 'item-1').map((t) => t.id)).toEqual(['item-1-SERVICE_ACTIVATION']);
    expect(pointOfNoReturnTasks(order, 'item-4').map((t) => t.id)).toEqual(['item-4-IP_BLOCK_ASSIGN']);
  });

  it('access provisioned is still before it; a dispatched activation is past it, for that item only', () => {
    const provisioned = done(started(), 'item-1-ACCESS_PROVISION');
    expect(isItemPastPointOfNoReturn(provisioned, 'item-1')).toBe(false);
    const activating = dispatch(provisioned, 'item-1-SERVICE_ACTIVATION');
    expect(itemsPastPointOfNoReturn(activating)).toEqual(['item-1']);
  });

  it('once the billing handoff started every item is past it, whatever its own tasks did', () => {
    const order = started();
    expect(itemsPastPointOfNoReturn(order)).toEqual([]);
    const billingSent: ProductOrder = {
      ...order,
      tasks: order.tasks.map((t) =>
        t.type === 'BILLING_HANDOFF' ? { ...t, attempts: 1, state: 'UNKNOWN' } : t,
      ),
    };
    expect(itemsPastPointOfNoReturn(billingSent)).toEqual(['item-1', 'item-2', 'item-3', 'item-4']);
  });
});

describe('amending an order in flight', () => {
  it('drops the work of a removed item that never reached a downstream and plans the added item', () => {
    const { order, events, revision } = amend(started(), ['item-1', 'item-2', 'item-4']);
    expect(order.items.map((i) => i.id)).toEqual(['item-1', 'item-2', 'item-4', 'item-5']);
    expect(order.quoteId).toBe('q-2');
    expect(order.revision).toBe(1);
    expect(taskOf(order, 'item-3-SDWAN_ACTIVATION').state).toBe('CANCELLED');
    expect(taskOf(order, 'item-5-SDWAN_ACTIVATION').state).toBe('PENDING');
    expect(revision).toMatchObject({
      revision: 1,
      previousQuoteId: 'q-1',
      addedItemIds: ['item-5'],
      removedItems: [{ id: 'item-3', quoteItemId: 'ql-3' }],
      cancelledTaskIds: ['item-3-SDWAN_ACTIVATION'],
      compensationTaskIds: [],
      requestedBy: 'partner-a-user',
    });
    const billing = taskOf(order, 'BILLING_HANDOFF');
    expect(billing.dependsOn).toContain('item-5-SDWAN_ACTIVATION');
    expect(billing.dependsOn).not.toContain('item-3-SDWAN_ACTIVATION');
    expect(isBillingHandoff(billing.payload) && billing.payload.items.map((i) => i.orderItemId)).toEqual([
      'item-1',
      'item-2',
      'item-4',
      'item-5',
    ]);
    expect(events.map((e) => e.eventType)).toEqual([
      'ProductOrderRevisionEvent',
      'ProductOrderAttributeValueChangeEvent',
    ]);
    expect(validateTaskGraph(order.tasks)).toEqual([]);
  });

  it('the running plan completes without the removed item: its work is never dispatched', () => {
    const { order } = amend(started(), ['item-1', 'item-2', 'item-4']);
    const completed = runHappyPath(order, at(10));
    expect(completed.state).toBe('completed');
    expect(taskOf(completed, 'item-3-SDWAN_ACTIVATION')).toMatchObject({ state: 'CANCELLED', attempts: 0 });
    expect(taskOf(completed, 'item-5-SDWAN_ACTIVATION').state).toBe('DONE');
  });

  it('compensates work of a removed item that a downstream did before its point of no return', () => {
    const provisioned = done(started(), 'item-2-ACCESS_PROVISION');
    const { order, revision } = amend(provisioned, ['item-1', 'item-3', 'item-4']);
    expect(revision.cancelledTaskIds).toEqual(['item-2-SERVICE_ACTIVATION']);
    expect(revision.compensationTaskIds).toEqual(['item-2-ACCESS_PROVISION-COMPENSATION']);
    const completed = runHappyPath(order, at(10));
    expect(completed.state).toBe('completed');
    expect(taskOf(completed, 'item-2-ACCESS_PROVISION-COMPENSATION')).toMatchObject({
      state: 'DONE',
      type: 'ACCESS_DECOMMISSION',
    });
  });

  it('a removed item whose dispatch is in flight is resolved first: proven not done, it and its undo are moot', () => {
    const inFlight = dispatch(started(), 'item-2-ACCESS_PROVISION');
    const { order } = amend(inFlight, ['item-1', 'item-3', 'item-4']);
    expect(taskOf(order, 'item-2-ACCESS_PROVISION-COMPENSATION').dependsOn).toEqual([
      'item-2-ACCESS_PROVISION',
    ]);
    const refused = recordTaskRetryableFailure(
      order,
      'item-2-ACCESS_PROVISION',
      'HTTP_503',
      ctx(at(4)),
    ).order;
    expect(taskOf(refused, 'item-2-ACCESS_PROVISION').state).toBe('CANCELLED');
    expect(taskOf(refused, 'item-2-ACCESS_PROVISION-COMPENSATION').state).toBe('CANCELLED');
    expect(runHappyPath(refused, at(10)).state).toBe('completed');
  });

  it('a downstream refusing withdrawn work is no fallout: nothing was done, so nothing is undone', () => {
    const inFlight = dispatch(started(), 'item-2-ACCESS_PROVISION');
    const { order } = amend(inFlight, ['item-1', 'item-3', 'item-4']);
    const refused = recordFallout(
      order,
      'item-2-ACCESS_PROVISION',
      { reasonCode: 'DOWNSTREAM_REJECTED' },
      ctx(at(4)),
    ).order;
    expect(refused.state).toBe('inProgress');
    expect(taskOf(refused, 'item-2-ACCESS_PROVISION').state).toBe('CANCELLED');
    expect(taskOf(refused, 'item-2-ACCESS_PROVISION-COMPENSATION').state).toBe('CANCELLED');
    expect(runHappyPath(refused, at(10)).state).toBe('completed');
  });

  it('refuses a removed item past its point of no return with 422 naming it, and changes nothing', () => {
    const order = dispatch(done(started(), 'item-3-SDWAN_ACTIVATION'), 'item-2-ACCESS_PROVISION');
    const error = failure(() => amend(order, ['item-1', 'item-4']));
    expect(error).toMatchObject({ code: 'POINT_OF_NO_RETURN', status: 422, details: { items: ['item-3'] } });
  });

  it('a revision before fulfillment started replaces the items; the plan is made from them', () => {
    const { order } = amend(created(), ['item-1', 'item-4']);
    expect(order.tasks).toEqual([]);
    const plan = startFulfillment(order, ctx(at(4))).order;
    expect(plan.tasks.map((t) => t.orderItemId)).not.toContain('item-2');
    expect(plan.tasks.map((t) => t.id)).toContain('item-5-SDWAN_ACTIVATION');
  });

  it('replaying an applied revision changes nothing; another content under its number is 409', () => {
    const once = amend(started(), ['item-1', 'item-2', 'item-4']).order;
    const replay = amend(once, ['item-1', 'item-2', 'item-4']);
    expect(replay).toMatchObject({ replayed: true, events: [] });
    expect(replay.order).toBe(once);
    const other = failure(() => amend(once, ['item-1', 'item-2', 'item-3', 'item-4']));
    expect(other).toMatchObject({ code: 'VERSION_CONFLICT', status: 409, details: { currentRevision: 1 } });
  });

  it('without a number (a TMF622 PATCH of the items) a revision is the next one; the same items again change nothing', () => {
    const { revision: _n, ...unnumbered } = revisionOf(['item-1', 'item-2', 'item-4']);
    const quote = revisionQuote(['item-1', 'item-2', 'item-4']);
    const once = amendOrder(started(), unnumbered, quote, ctx(at(3)));
    expect(once.order.revision).toBe(1);
    const again = amendOrder(once.order, unnumbered, quote, ctx(at(4)));
    expect(again).toMatchObject({ replayed: true, events: [] });
  });

  it('a revision number that is not the next one is 409 with the current revision', () => {
    expect(failure(() => amend(started(), ['item-1'], 2))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
      details: { currentRevision: 0, expectedRevision: 1 },
    });
  });

  it('refuses what a revision cannot express: a changed item under its old id, a kept item that needs a removed one', () => {
    const changedQuote = revisionQuote(['item-1']);
    changedQuote.lines[0] = { ...changedQuote.lines[0]!, options: { term: 12 } };
    expect(
      failure(() => amendOrder(started(), revisionOf(['item-1']), changedQuote, ctx(at(3)))),
    ).toMatchObject({ code: 'ORDER_QUOTE_MISMATCH', details: { items: ['item-1'] } });
    expect(failure(() => amend(started(), ['item-2', 'item-3', 'item-4']))).toMatchObject({
      code: 'ORDER_QUOTE_MISMATCH',
      details: { items: ['item-4'] },
    });
  });

  it('the revision quote must be a new accepted quote of the same account and currency', () => {
    const order = started();
    const kept = ['item-1', 'item-2', 'item-3', 'item-4'];
    const request = revisionOf(kept);
    for (const quote of [
      revisionQuote(kept, 'q-1'),
      { ...revisionQuote(kept), accountId: 'acc-2' },
      { ...revisionQuote(kept), currency: 'EUR' },
    ]) {
      const req = quote.quoteId === 'q-1' ? revisionOf(kept, 1, 'q-1') : request;
      expect(failure(() => amendOrder(order, req, quote, ctx(at(3)))).code).toBe('ORDER_QUOTE_MISMATCH');
    }
    expect(
      failure(() => amendOrder(order, request, { ...revisionQuote(kept), state: 'approved' }, ctx(at(3))))
        .code,
    ).toBe('QUOTE_NOT_ACCEPTED');
  });

  it('is evidence: a revision record, and a capture of its own so the sealed capture of the order as created never changes', () => {
    const order = started();
    const revised = amend(order, ['item-1', 'item-2', 'item-4']).order;
    const ids = (o: ProductOrder) =>
      orderEvidenceRecords(o).map((r) => `${r.link.evidenceType}:${r.link.recordId}`);
    expect(ids(order)).toEqual(['ORDER_CAPTURE:ord-1']);
    expect(ids(revised)).toEqual(['ORDER_CAPTURE:ord-1-r1', 'ORDER_REVISION:ord-1-r1']);
    const revisionRecord = orderEvidenceRecords(revised)[1]!;
    expect(JSON.parse(revisionRecord.body)).toMatchObject({
      revision: 1,
      quoteId: 'q-2',
      previousQuoteId: 'q-1',
    });
  });

  it('a cancellation after a revision keeps the revision compensations and adds none twice', () => {
    const provisioned = done(started(), 'item-2-ACCESS_PROVISION');
    const { order } = amend(provisioned, ['item-1', 'item-3', 'item-4']);
    const cancelled = requestCancellation(
      order,
      { cancellationReason: 'gone', cancelId: 'cx-1' },
      ctx(at(5)),
    ).order;
    const undo = cancelled.tasks.filter((t) => t.compensationOf === 'item-2-ACCESS_PROVISION');
    expect(undo).toHaveLength(1);
    expect(undo[0]!.state).toBe('PENDING');
  });
});

describe('amendment properties', () => {
  const items = ['item-1', 'item-2', 'item-3', 'item-4'];
  /** Runs the plan `steps` tasks far, leaving the last one in flight when `inFlight`. */
  const progressed = (steps: number, inFlight: boolean): ProductOrder => {
    let order = started();
    for (let n = 0; n < steps; n++) {
      const step = nextStep(order);
      if (step.kind !== 'DISPATCH') break;
      const ref = step.tasks[0]!;
      order = n === steps - 1 && inFlight ? dispatch(order, ref.taskId) : done(order, ref.taskId);
    }
    return order;
  };
  /** The oracle: what the item's last task type says, independently of the domain's own definition. */
  const committed = (order: ProductOrder, itemId: string): boolean =>
    order.tasks.some((t) => t.type === 'BILLING_HANDOFF' && t.attempts > 0) ||
    order.tasks.some(
      (t) =>
        t.orderItemId === itemId &&
        t.type !== 'ACCESS_PROVISION' &&
        t.compensationOf === undefined &&
        t.attempts > 0,
    );

  it('a revision is refused exactly for items past their point of no return, and otherwise converges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.boolean(),
        fc.subarray(items),
        (steps, inFlight, kept) => {
          const order = progressed(steps, inFlight);
          const removed = items.filter((i) => !kept.includes(i));
          const past = order.tasks.some((t) => t.type === 'BILLING_HANDOFF' && t.attempts > 0)
            ? items
            : removed.filter((i) => committed(order, i));
          let result: ReturnType<typeof amend>;
          try {
            result = amend(order, kept);
          } catch (e) {
            if (!isDomainError(e)) throw e;
            if (past.length > 0) {
              expect(e).toMatchObject({ code: 'POINT_OF_NO_RETURN', details: { items: past } });
            } else {
              // A kept static IP whose fiber goes: the only other refusal.
              expect(e.code).toBe('ORDER_QUOTE_MISMATCH');
              expect(kept.includes('item-4') && !kept.includes('item-1')).toBe(true);
            }
            return;
          }
          expect(past).toEqual([]);
          const after = result.order;
          expect(validateTaskGraph(after.tasks)).toEqual([]);
          for (const t of after.tasks.filter((t) => removed.includes(t.orderItemId) && !t.compensationOf)) {
            expect(t.state).not.toBe('PENDING');
            if (t.type === 'ACCESS_PROVISION' && t.attempts > 0) {
              expect(after.tasks.some((c) => c.compensationOf === t.id)).toBe(true);
            }
          }
          const resolved = after.tasks
            .filter((t) => t.state === 'IN_PROGRESS')
            .reduce(
              (o, t) =>
                recordTaskCompleted(o, t.id, { downstreamRef: `ds-${t.id}`, source: 'response' }, ctx(at(4)))
                  .order,
              after,
            );
          const completed = runHappyPath(resolved, at(20));
          expect(completed.state).toBe('completed');
          const billing = taskOf(completed, 'BILLING_HANDOFF').payload;
          expect(isBillingHandoff(billing) && billing.items.map((i) => i.orderItemId)).toEqual(
            completed.items.map((i) => i.id),
          );
          for (const id of removed) {
            for (const t of completed.tasks.filter((t) => t.orderItemId === id && !t.compensationOf)) {
              const undone = completed.tasks.find((c) => c.compensationOf === t.id);
              expect(t.state === 'CANCELLED' || undone?.state === 'DONE').toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
