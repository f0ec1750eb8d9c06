import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assemble,
  changedPages,
  layoutOf,
  pageLayout,
  pageSk,
  planPageOf,
  splitTask,
  stepsPerPageOf,
  taskPagesOf,
} from '#adapters/order-pages';
import { taskPagesIn } from '#commands/order-step';
import { requestCancellation } from '#domain/order/cancellation';
import { recordTaskCompleted, recordTaskDispatched, startFulfillment } from '#domain/order/fulfillment';
import { fulfillmentBounds, storedBytes } from '#domain/order/order-bounds';
import { acceptedQuote, at, ctx, newOrder } from './fixtures.ts';

/** The largest order the bounds accept: its billing handoff goes in parts of 100 items. */
const largest = fulfillmentBounds.maxItems;

const largeOrder = (n: number) => {
  const base = acceptedQuote().lines;
  const lines = Array.from({ length: n }, (_, i) => ({
    ...base[i % base.length]!,
    quoteItemId: `ql-${i + 1}`,
    customerReference: `site-${Math.floor(i / base.length)}`,
  }));
  return startFulfillment(newOrder(acceptedQuote({ lines })), ctx(at(1))).order;
};

const roundTrip = (order: ReturnType<typeof largeOrder>) => {
  const layout = layoutOf(order);
  return assemble(layout.header, layout.attributes, layout.pages);
};

/** One task of the order dispatched, then done. */
const dispatchedAndDone = (order: ReturnType<typeof largeOrder>, taskId: string) => {
  const dispatched = recordTaskDispatched(order, taskId, ctx(at(2))).order;
  const evidence = { downstreamRef: 'r-1', source: 'response' } as const;
  return { dispatched, done: recordTaskCompleted(dispatched, taskId, evidence, ctx(at(3))).order };
};

describe('order pages', () => {
  it('a one-item order stays one item; the largest order is a header and pages that assemble to the same order', () => {
    expect(layoutOf(largeOrder(1)).pages).toEqual([]);
    const large = largeOrder(largest);
    const layout = layoutOf(large);
    expect(layout.header.tasks).toEqual([]);
    expect(layout.header.items).toEqual([]);
    expect(roundTrip(large)).toEqual(large);
  });

  it('no item of the largest order approaches 400 KB, and a task step rewrites one page', () => {
    const large = largeOrder(largest);
    const layout = layoutOf(large);
    const sizes = [storedBytes(layout.header), ...layout.pages.map((p) => storedBytes(p.entries))];
    // No page holds two parts of the billing handoff (≈ 67 KB each).
    expect(Math.max(...sizes)).toBeLessThan(120 * 1024);
    const { done } = dispatchedAndDone(large, large.tasks[200]!.id);
    expect(changedPages(layoutOf(done), layout)).toHaveLength(1);
    expect(storedBytes(layoutOf(done).header)).toBeLessThan(16 * 1024);
  });

  it('cancelling the largest order is one transaction within 100 actions', () => {
    const large = largeOrder(largest);
    const half = large.tasks.slice(0, 300).reduce((order, t) => {
      if (t.dependsOn.length > 0 || t.type === 'BILLING_HANDOFF') return order;
      const d = recordTaskDispatched(order, t.id, ctx(at(2))).order;
      return recordTaskCompleted(d, t.id, { downstreamRef: `r-${t.id}`, source: 'response' }, ctx(at(3)))
        .order;
    }, large);
    const { order: cancelled, events } = requestCancellation(
      half,
      { cancelId: 'c-1', cancellationReason: 'customer' },
      ctx(at(4)),
    );
    const pages = changedPages(layoutOf(cancelled), layoutOf(half));
    expect(1 + pages.length + events.length).toBeLessThanOrEqual(100);
    expect(roundTrip(cancelled)).toEqual(cancelled);
  });

  it('starting the largest order, and cancelling it with every forward task done, are each one transaction within 100 actions', () => {
    // 500 fibers: 1,001 forward tasks; cancelled with all done, a compensation each.
    const fiber = acceptedQuote().lines[0]!;
    const lines = Array.from({ length: largest }, (_, i) => ({ ...fiber, quoteItemId: `ql-${i + 1}` }));
    const start = startFulfillment(newOrder(acceptedQuote({ lines })), ctx(at(1)));
    const started = start.order;
    expect(
      1 + layoutOf(started).pages.length - layoutOf(started).attributes.itemPages + start.events.length,
    ).toBeLessThanOrEqual(100);
    const done = started.tasks
      .filter((t) => t.type !== 'BILLING_HANDOFF')
      .reduce((order, t) => dispatchedAndDone(order, t.id).done, started);
    const { order: cancelled, events } = requestCancellation(
      done,
      { cancelId: 'c-1', cancellationReason: 'customer' },
      ctx(at(4)),
    );
    expect(cancelled.tasks.length).toBeGreaterThan(2000);
    const pages = changedPages(layoutOf(cancelled), layoutOf(done));
    expect(1 + pages.length + events.length).toBeLessThanOrEqual(100);
    expect(roundTrip(cancelled)).toEqual(cancelled);
  });

  it('any order, part way through fulfillment, assembles from its layout to the same order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (n, picks, complete) => {
          const order = picks.reduce((o, pick) => {
            const pending = o.tasks.filter((t) => t.state === 'PENDING');
            const task = pending[pick % Math.max(1, pending.length)];
            if (!task) return o;
            const d = recordTaskDispatched(o, task.id, ctx(at(2))).order;
            if (!complete) return d;
            return recordTaskCompleted(
              d,
              task.id,
              { downstreamRef: `r-${pick}`, source: 'response' },
              ctx(at(3)),
            ).order;
          }, largeOrder(n));
          expect(roundTrip(order)).toEqual(order);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a task step rewrites one step page and a header of the same size, whatever the size of the order', () => {
    const written = [10, 50, 200, 500].map((n) => {
      const order = largeOrder(n);
      const { dispatched, done } = dispatchedAndDone(
        order,
        order.tasks[Math.floor(order.tasks.length / 2)]!.id,
      );
      const pages = changedPages(layoutOf(done), layoutOf(dispatched));
      expect(pages.map((p) => p.sk)).toEqual([expect.stringMatching(/^PAGE#X#/)]);
      return { header: storedBytes(layoutOf(done).header), page: storedBytes(pages[0]!.entries) };
    });
    const [small] = written;
    for (const w of written) {
      expect(w.header).toBe(small!.header);
      // A full step page: stepsPerPage execution states, a few hundred bytes each.
      expect(w.page).toBeLessThan(pageLayout.stepsPerPage * 400);
    }
  });

  it('a task splits into its blueprint and its execution state', () => {
    const task = largeOrder(10).tasks[0]!;
    const { plan, step } = splitTask(task);
    expect({ ...plan, ...step }).toEqual(task);
    expect(Object.keys(step)).not.toContain('payload');
    expect(Object.keys(plan)).not.toContain('state');
  });

  it('the pages a task reference names hold that task: its execution state and, on the plan page it names, its blueprint', () => {
    const fiber = acceptedQuote().lines[0]!;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: largest }), fc.boolean(), fc.nat(), (n, fibers, pick) => {
        const base = fibers ? [fiber] : acceptedQuote().lines;
        const lines = Array.from({ length: n }, (_, i) => ({
          ...base[i % base.length]!,
          quoteItemId: `ql-${i}`,
        }));
        const order = startFulfillment(newOrder(acceptedQuote({ lines })), ctx(at(1))).order;
        const index = pick % order.tasks.length;
        const task = order.tasks[index]!;
        // Tasks kept in the header: the step reads the header, which is the whole order.
        if (order.tasks.length <= pageLayout.inlineTasks) {
          expect(taskPagesOf(order, task.id)).toBeUndefined();
          return;
        }
        // As the step gets it: through the workflow's JSON.
        const pages = taskPagesIn(JSON.parse(JSON.stringify(taskPagesOf(order, task.id))))!;
        const layout = layoutOf(order);
        const entries = (sk: string) => layout.pages.find((p) => p.sk === sk)?.entries ?? [];
        const perPage = stepsPerPageOf(order.tasks.length);
        expect(layout.attributes.stepsPerPage).toBe(perPage);
        expect(pages.planPage).toBe(planPageOf(pages.taskPage, perPage));
        const inPage = index - pages.taskPage * perPage;
        const offset = pages.taskPage * perPage - pages.planPage! * pageLayout.plansPerPage;
        const plan = entries(pageSk('P', pages.planPage!))[offset + inPage];
        const step = entries(pageSk('X', pages.taskPage))[inPage];
        expect({ ...(plan as object), ...(step as object) }).toEqual(task);
        const item = entries(pageSk('I', pages.itemPage ?? 0)) as { id: string }[];
        if (task.orderItemId !== 'order') expect(item.map((i) => i.id)).toContain(task.orderItemId);
      }),
      { numRuns: 25 },
    );
    expect(taskPagesIn({ taskPage: -1 })).toBeUndefined();
    expect(taskPagesIn({ taskPage: 2, planPage: 'x' })).toEqual({ taskPage: 2 });
  });
});
