import type { ExtraItem } from '#adapters/aggregate-store';
import type { FulfillmentTask, PlannedTask, TaskExecution } from '#domain/order/fulfillment-task';
import type { ProductOrder, ProductOrderItem } from '#domain/order/product-order';
import { pack, packedName } from './packed-data.ts';

/**
 * How an order is laid out in the aggregates table. A one-item order is one item, as it always
 * was. Any larger one keeps a bounded header (state, fallout, notes, repairs, plan) in the
 * aggregate item and its items and tasks in small page items beside it. A task is split in two:
 * its blueprint (`PlannedTask`: fixed once planned, large with its payload) in plan pages written
 * once, and its execution state (a few hundred bytes) in step pages. A workflow step on one task
 * writes the header and one step page: the bytes it writes do not grow with the order.
 */
export const pageLayout = {
  /** Up to this many items (and tasks) an order is stored whole in its aggregate item. */
  inlineItems: 1,
  inlineTasks: 4,
  /** Items never change after creation: pages written once, small enough for a step to read. */
  itemsPerPage: 16,
  /** Blueprints are written once; parts of a billing handoff lie over 100 tasks apart, so a page holds one at most. */
  plansPerPage: 64,
  /** What one task change rewrites; a divisor of `plansPerPage`, so a step page has one plan page. */
  stepsPerPage: 16,
  /**
   * Up to this many tasks. Beyond, step pages hold twice as many: starting an order, or cancelling
   * one whose every task is done (2,001 tasks at 500 items), rewrites every step page in one
   * transaction, and DynamoDB takes at most 100 actions.
   */
  smallStepsUpTo: 960,
} as const;

/** `T`: whole tasks, as orders written before the split keep them (read only). */
export const pageKind = { items: 'I', plans: 'P', steps: 'X', tasks: 'T' } as const;
export type PageKind = (typeof pageKind)[keyof typeof pageKind];

const pad = (n: number) => String(n).padStart(4, '0');
export const pageSk = (kind: PageKind, index: number) => `PAGE#${kind}#${pad(index)}`;
export const pagePrefix = 'PAGE#';

export type Page = { sk: string; entries: unknown[] };

export const pageKindOf = (page: Page): string => page.sk.charAt(pagePrefix.length);

/** Item and plan pages: written when the order is created, started or revised, never by a task step. */
export const isBlueprintPage = (page: Page): boolean =>
  pageKindOf(page) === pageKind.items || pageKindOf(page) === pageKind.plans;

/** Execution states per step page of an order of `tasks` tasks. */
export const stepsPerPageOf = (tasks: number): number =>
  tasks <= pageLayout.smallStepsUpTo ? pageLayout.stepsPerPage : 2 * pageLayout.stepsPerPage;

/** How many pages of each kind the header names (the loader reads exactly these), and their size. */
export type PageCounts = {
  itemPages: number;
  planPages: number;
  stepPages: number;
  stepsPerPage: number;
  taskPages?: number;
};

export const pageCountsOf = (item: Record<string, unknown>): PageCounts => ({
  itemPages: Number(item.itemPages ?? 0),
  planPages: Number(item.planPages ?? 0),
  stepPages: Number(item.stepPages ?? 0),
  stepsPerPage: Number(item.stepsPerPage ?? pageLayout.stepsPerPage),
  taskPages: Number(item.taskPages ?? 0),
});

export const pageTotal = (counts: PageCounts): number =>
  counts.itemPages + counts.planPages + counts.stepPages + (counts.taskPages ?? 0);

const chunk = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** Every field of the blueprint, checked by the compiler: a field missed here would be lost. */
const plannedFields: Record<keyof PlannedTask, true> = {
  id: true,
  orderItemId: true,
  action: true,
  type: true,
  ruleVersion: true,
  downstream: true,
  dependsOn: true,
  correlationId: true,
  ownerTeam: true,
  payload: true,
  compensationOf: true,
};

export const splitTask = (task: FulfillmentTask): { plan: PlannedTask; step: TaskExecution } => {
  const plan: Record<string, unknown> = {};
  const step: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(task)) (key in plannedFields ? plan : step)[key] = value;
  return { plan: plan as PlannedTask, step: step as TaskExecution };
};

/** Tasks from their blueprints and their execution states, in the same order. */
export const joinTasks = (plans: readonly unknown[], steps: readonly unknown[]): FulfillmentTask[] =>
  plans.map((plan, i) => ({ ...(plan as PlannedTask), ...(steps[i] as TaskExecution) }));

export type OrderLayout = {
  /** What the aggregate item's `data` holds. */
  header: ProductOrder;
  /** Page counts, as attributes of the aggregate item. */
  attributes: PageCounts;
  pages: Page[];
};

const pagesOf = (kind: PageKind, lists: readonly unknown[][]): Page[] =>
  lists.map((entries, i) => ({ sk: pageSk(kind, i), entries }));

export const layoutOf = (order: ProductOrder): OrderLayout => {
  const pagedItems = order.items.length > pageLayout.inlineItems;
  const pagedTasks = order.tasks.length > pageLayout.inlineTasks;
  const itemPages = pagedItems ? chunk(order.items, pageLayout.itemsPerPage) : [];
  const split = pagedTasks ? order.tasks.map(splitTask) : [];
  const planPages = chunk(
    split.map((t) => t.plan),
    pageLayout.plansPerPage,
  );
  const stepsPerPage = stepsPerPageOf(order.tasks.length);
  const stepPages = chunk(
    split.map((t) => t.step),
    stepsPerPage,
  );
  // The plan's task ids are the forward tasks' ids: a paged order rebuilds them on load.
  const plan = pagedTasks && order.plan ? { ...order.plan, taskIds: [] } : order.plan;
  return {
    header: {
      ...order,
      items: pagedItems ? [] : order.items,
      tasks: pagedTasks ? [] : order.tasks,
      ...(plan ? { plan } : {}),
    },
    // A legacy count of whole-task pages is cleared: the order is now written in the split layout.
    attributes: {
      itemPages: itemPages.length,
      planPages: planPages.length,
      stepPages: stepPages.length,
      stepsPerPage,
      taskPages: 0,
    },
    pages: [
      ...pagesOf(pageKind.items, itemPages),
      ...pagesOf(pageKind.plans, planPages),
      ...pagesOf(pageKind.steps, stepPages),
    ],
  };
};

/** The pages a save writes: those whose content differs from the order as it was loaded. */
export const changedPages = (after: OrderLayout, before: OrderLayout | undefined): Page[] => {
  if (!before) return after.pages;
  const previous = new Map(before.pages.map((p) => [p.sk, JSON.stringify(p.entries)]));
  return after.pages.filter((p) => previous.get(p.sk) !== JSON.stringify(p.entries));
};

export const pageItems = (orderPk: string, pages: readonly Page[], now: string): ExtraItem[] =>
  pages.map((page) => ({
    item: {
      pk: orderPk,
      sk: page.sk,
      itemType: 'orderPage',
      updatedAt: now,
      [packedName('entries')]: pack(page.entries),
    },
  }));

/** The entries of one kind's pages, the first `count` of them, in key order. */
const entriesOf = (pages: readonly Page[], kind: PageKind, count: number): unknown[] =>
  pages
    .filter((p) => p.sk.startsWith(`${pagePrefix}${kind}#`) && Number(p.sk.slice(7)) < count)
    .sort((a, b) => a.sk.localeCompare(b.sk))
    .flatMap((p) => p.entries);

const tasksOf = (header: ProductOrder, counts: PageCounts, pages: readonly Page[]): FulfillmentTask[] => {
  if (counts.planPages > 0)
    return joinTasks(
      entriesOf(pages, pageKind.plans, counts.planPages),
      entriesOf(pages, pageKind.steps, counts.stepPages),
    );
  if ((counts.taskPages ?? 0) > 0)
    return entriesOf(pages, pageKind.tasks, counts.taskPages ?? 0) as FulfillmentTask[];
  return header.tasks;
};

/** The order from its header and its pages. */
export const assemble = (header: ProductOrder, counts: PageCounts, pages: readonly Page[]): ProductOrder => {
  const items =
    counts.itemPages > 0
      ? (entriesOf(pages, pageKind.items, counts.itemPages) as ProductOrderItem[])
      : header.items;
  const pagedTasks = counts.planPages + (counts.taskPages ?? 0) > 0;
  const tasks = tasksOf(header, counts, pages);
  const plan =
    pagedTasks && header.plan
      ? { ...header.plan, taskIds: tasks.filter((t) => t.compensationOf === undefined).map((t) => t.id) }
      : header.plan;
  return { ...header, items, tasks, ...(plan ? { plan } : {}) };
};

/**
 * The pages a workflow step on one task needs: the step page holding the task's execution state,
 * the plan page holding its blueprint and the page holding its item (its product family goes into
 * the task's events). Undefined when the order keeps its tasks in the header: then the header is
 * the whole order anyway.
 */
export type TaskPages = { taskPage: number; planPage?: number; itemPage?: number };

/** The plan page a step page lies on (`plansPerPage` is a multiple of every step page size). */
export const planPageOf = (stepPage: number, stepsPerPage: number): number =>
  Math.floor((stepPage * stepsPerPage) / pageLayout.plansPerPage);

export const taskPagesOf = (order: ProductOrder, taskId: string): TaskPages | undefined => {
  if (order.tasks.length <= pageLayout.inlineTasks) return undefined;
  const index = order.tasks.findIndex((t) => t.id === taskId);
  if (index < 0) return undefined;
  const itemIndex = order.items.findIndex((i) => i.id === order.tasks[index]!.orderItemId);
  const pagedItems = order.items.length > pageLayout.inlineItems;
  return {
    taskPage: Math.floor(index / stepsPerPageOf(order.tasks.length)),
    planPage: Math.floor(index / pageLayout.plansPerPage),
    ...(pagedItems && itemIndex >= 0 ? { itemPage: Math.floor(itemIndex / pageLayout.itemsPerPage) } : {}),
  };
};
