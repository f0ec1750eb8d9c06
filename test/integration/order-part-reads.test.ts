import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageLayout, taskPagesOf } from '#adapters/order-pages';
import { loadOrder, loadOrderPart } from '#adapters/order-repository';
import { mutateOrder } from '#commands/order-step';
import { claimDispatch } from '#domain/order/dispatch-claim';
import { nextStep } from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { recordTaskOutcome } from '#domain/order/task-outcome';
import { dynamoClient } from '#plumbing/clients';
import { largeOrder } from './large-orders.ts';

/**
 * What a workflow step on one task of a large order reads and writes, counted on the handlers'
 * DynamoDB client: page items (`PAGE#…`) returned by reads and put by transactions, and the bytes
 * of every item a transaction writes (the order's header, its page, the outbox events).
 */
const counted = { pagesRead: 0, pagesWritten: 0, bytesWritten: 0 };
const reset = () => Object.assign(counted, { pagesRead: 0, pagesWritten: 0, bytesWritten: 0 });
type Item = Record<string, unknown> | undefined;
/** Items as the document client's commands see them (plain) or as the client's own (attribute values). */
const isPage = (item: Item) => {
  const sk = item?.sk as string | { S?: string } | undefined;
  return (typeof sk === 'string' ? sk : sk?.S)?.startsWith('PAGE#') ?? false;
};
beforeAll(() => {
  dynamoClient().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as {
        Item?: Item;
        Items?: Item[];
        Responses?: Record<string, Item[]>;
      };
      const read = [output.Item, ...(output.Items ?? []), ...Object.values(output.Responses ?? {}).flat()];
      counted.pagesRead += read.filter(isPage).length;
      const input = (args.input ?? {}) as {
        TransactItems?: { Put?: { Item?: Item }; Update?: { ExpressionAttributeValues?: Item } }[];
      };
      counted.pagesWritten += (input.TransactItems ?? []).filter((t) => isPage(t.Put?.Item)).length;
      counted.bytesWritten += (input.TransactItems ?? [])
        .map((t) => JSON.stringify(t.Put?.Item ?? t.Update?.ExpressionAttributeValues ?? {}).length)
        .reduce((a, b) => a + b, 0);
      return result;
    },
    { step: 'initialize', name: 'countOrderPages' },
  );
});
afterAll(() => {
  dynamoClient().middlewareStack.remove('countOrderPages');
});

/** The dispatch claim and the recorded response of one ready task, as the workflow's steps make them. */
const dispatchAndRecord = async (order: ProductOrder, taskId: string, scoped: boolean) => {
  const part = scoped ? { taskId, pages: taskPagesOf(order, taskId)! } : undefined;
  reset();
  await mutateOrder(
    order.id,
    randomUUID(),
    'dispatch',
    (o, c) => {
      const decision = claimDispatch(o, taskId, c);
      if (!('send' in decision) || !decision.send) throw new Error('not claimable');
      return { change: decision.change, result: null };
    },
    part,
  );
  const claim = { ...counted };
  reset();
  await mutateOrder(
    order.id,
    randomUUID(),
    'record',
    (o, c) => {
      const decision = recordTaskOutcome(
        o,
        taskId,
        { outcome: 'DONE', source: 'response', evidence: { downstreamRef: `ref-${taskId}` } },
        c,
      );
      if ('stale' in decision) throw new Error(decision.stale);
      return { change: decision.change, result: null };
    },
    part,
  );
  return { claim, record: { ...counted } };
};

const readyTasks = (order: ProductOrder) => {
  const step = nextStep(order, { now: new Date().toISOString() });
  return step.kind === 'DISPATCH' ? step.tasks.map((t) => t.taskId) : [];
};

const wholeOrderPages = (order: ProductOrder) =>
  Math.ceil(order.items.length / pageLayout.itemsPerPage) +
  Math.ceil(order.tasks.length / pageLayout.plansPerPage) +
  Math.ceil(order.tasks.length / pageLayout.stepsPerPage);

describe('a workflow step on one task of an order of many items', () => {
  it('reads its step, plan and item page (the step page only once read) and writes the header and its step page, the same bytes at 10, 50 and 120 items', async () => {
    const written: number[] = [];
    for (const items of [10, 50, 120]) {
      const order = await largeOrder(items);
      const [taskId] = readyTasks(order);
      const spent = await dispatchAndRecord(order, taskId!, true);
      // The record step finds the plan and item page as the claim read them: its step page only.
      expect(spent).toMatchObject({
        claim: { pagesRead: 3, pagesWritten: 1 },
        record: { pagesRead: 1, pagesWritten: 1 },
      });
      written.push(spent.claim.bytesWritten + spent.record.bytesWritten);
    }
    // The first ready task sits on a full step page at every size: what it writes does not grow.
    const [least, most] = [Math.min(...written), Math.max(...written)];
    expect(most / least).toBeLessThan(1.1);
  });

  it('leaves the order exactly as a step on the whole order would (every other task and item untouched)', async () => {
    const order = await largeOrder(150);
    const [first, second] = readyTasks(order);
    await dispatchAndRecord(order, first!, true);
    const wholeStep = await dispatchAndRecord((await loadOrder(order.id))!.aggregate, second!, false);
    // The whole order read: every step page of it (its items and plans as read before).
    expect(wholeStep.record.pagesRead).toBe(Math.ceil(order.tasks.length / pageLayout.stepsPerPage));
    const after = (await loadOrder(order.id))!.aggregate;
    expect(after.items).toEqual(order.items);
    expect(after.tasks.map((t) => t.id)).toEqual(order.tasks.map((t) => t.id));
    for (const task of after.tasks) {
      const before = order.tasks.find((t) => t.id === task.id)!;
      if (task.id === first || task.id === second) {
        expect(task).toMatchObject({
          state: 'DONE',
          attempts: 1,
          evidence: { downstreamRef: `ref-${task.id}` },
        });
      } else expect(task).toEqual(before);
    }
    expect(after.state).toBe('inProgress');
  });
});

describe('the whole order, read again', () => {
  it('reads only its step pages while no write changed its items or plans, and all of them after one did', async () => {
    const order = await largeOrder(60);
    const stepPages = Math.ceil(order.tasks.length / pageLayout.stepsPerPage);
    await loadOrder(order.id);
    reset();
    const [taskId] = readyTasks(order);
    await dispatchAndRecord(order, taskId!, true);
    reset();
    const again = (await loadOrder(order.id))!.aggregate;
    expect(counted.pagesRead).toBe(stepPages);
    expect(again.tasks.find((t) => t.id === taskId)).toMatchObject({ state: 'DONE' });
    // A blueprint changed (as a revision changes plans): the next read reads every page again.
    const last = order.tasks.at(-1)!;
    const lastPart = () => loadOrderPart(order.id, last.id, taskPagesOf(order, last.id)!);
    expect((await lastPart())!.aggregate.tasks.find((t) => t.id === last.id)).toEqual(last);
    const replanned = { ...last.payload, note: 'replanned' };
    await mutateOrder(order.id, randomUUID(), 'replan', (o) => ({
      change: {
        order: {
          ...o,
          tasks: o.tasks.map((t, i, all) => (i === all.length - 1 ? { ...t, payload: replanned } : t)),
        },
        events: [],
      },
      result: null,
      changed: true,
    }));
    reset();
    const replannedOrder = (await loadOrder(order.id))!.aggregate;
    expect(counted.pagesRead).toBe(wholeOrderPages(order));
    expect(replannedOrder.tasks.at(-1)!.payload).toEqual(replanned);
    expect(replannedOrder.tasks.find((t) => t.id === taskId)).toMatchObject({ state: 'DONE' });
    // A step's part as well: the plan page it held is read again.
    expect((await lastPart())!.aggregate.tasks.find((t) => t.id === last.id)!.payload).toEqual(replanned);
  });
});

describe('an order that a revision made smaller', () => {
  it('reads back exactly, its pages beyond the new count left unread', async () => {
    const order = await largeOrder(40);
    const kept = order.items.slice(0, 30);
    const keptIds = new Set(kept.map((i) => i.id));
    await mutateOrder(order.id, randomUUID(), 'revise', (o) => ({
      change: { order: { ...o, items: o.items.filter((i) => keptIds.has(i.id)) }, events: [] },
      result: null,
      changed: true,
    }));
    const after = (await loadOrder(order.id))!.aggregate;
    expect(after.items).toEqual(kept);
    expect(after.tasks).toEqual(order.tasks);
  });
});
