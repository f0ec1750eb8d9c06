import type { ExtraItem } from '#adapters/aggregate-store';
import type { FulfillmentTask } from '#domain/order/fulfillment-task';
import type { ProductOrder, ProductOrderItem } from '#domain/order/product-order';

/**
 * How a large order is laid out in the aggregates table. A small order is one item, as it always
 * was. A large one keeps its header (state, fallout, notes, repairs, plan) in the aggregate item
 * and its items and tasks in page items beside it: every item stays far below DynamoDB's 400 KB,
 * and a workflow step writes the header and the one page of the task it changed, so the bytes a
 * step writes do not grow with the number of items on the order.
 */
export const pageLayout = {
  /** Up to this many items (and tasks) an order is stored whole in its aggregate item. */
  inlineItems: 100,
  inlineTasks: 64,
  /** Items never change after creation: large pages, written once. */
  itemsPerPage: 100,
  /** Tasks change one by one: a page is what one task change rewrites. */
  tasksPerPage: 32,
} as const;

export const pageKind = { items: 'I', tasks: 'T' } as const;

const pad = (n: number) => String(n).padStart(4, '0');
export const pageSk = (kind: 'I' | 'T', index: number) => `PAGE#${kind}#${pad(index)}`;
export const pagePrefix = 'PAGE#';

type Page = { sk: string; entries: unknown[] };

const chunk = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

export type OrderLayout = {
  /** What the aggregate item's `data` holds. */
  header: ProductOrder;
  /** Page counts, as attributes of the aggregate item: the loader reads exactly these pages. */
  attributes: { itemPages: number; taskPages: number };
  pages: Page[];
};

export const layoutOf = (order: ProductOrder): OrderLayout => {
  const pagedItems = order.items.length > pageLayout.inlineItems;
  const pagedTasks = order.tasks.length > pageLayout.inlineTasks;
  const itemPages = pagedItems ? chunk(order.items, pageLayout.itemsPerPage) : [];
  const taskPages = pagedTasks ? chunk(order.tasks, pageLayout.tasksPerPage) : [];
  // The plan's task ids are the forward tasks' ids: a paged order rebuilds them on load.
  const plan = pagedTasks && order.plan ? { ...order.plan, taskIds: [] } : order.plan;
  return {
    header: {
      ...order,
      items: pagedItems ? [] : order.items,
      tasks: pagedTasks ? [] : order.tasks,
      ...(plan ? { plan } : {}),
    },
    attributes: { itemPages: itemPages.length, taskPages: taskPages.length },
    pages: [
      ...itemPages.map((entries, i) => ({ sk: pageSk(pageKind.items, i), entries })),
      ...taskPages.map((entries, i) => ({ sk: pageSk(pageKind.tasks, i), entries })),
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
    item: { pk: orderPk, sk: page.sk, itemType: 'orderPage', updatedAt: now, entries: page.entries },
  }));

/** The order from its header and its pages (in key order, as a query returns them). */
export const assemble = (
  header: ProductOrder,
  counts: { itemPages: number; taskPages: number },
  pages: readonly { sk: string; entries: unknown[] }[],
): ProductOrder => {
  const of = (kind: 'I' | 'T', count: number) =>
    pages
      .filter((p) => p.sk.startsWith(`${pagePrefix}${kind}#`) && Number(p.sk.slice(7)) < count)
      .sort((a, b) => a.sk.localeCompare(b.sk))
      .flatMap((p) => p.entries);
  const items =
    counts.itemPages > 0 ? (of(pageKind.items, counts.itemPages) as ProductOrderItem[]) : header.items;
  const tasks =
    counts.taskPages > 0 ? (of(pageKind.tasks, counts.taskPages) as FulfillmentTask[]) : header.tasks;
  const plan =
    counts.taskPages > 0 && header.plan
      ? { ...header.plan, taskIds: tasks.filter((t) => t.compensationOf === undefined).map((t) => t.id) }
      : header.plan;
  return { ...header, items, tasks, ...(plan ? { plan } : {}) };
};

/**
 * The pages a workflow step on one task of a large order needs: the page holding the task and
 * the page holding its item (its product family goes into the task's events). Undefined when
 * the order keeps its tasks in the header: then the header is the whole order anyway.
 */
export type TaskPages = { taskPage: number; itemPage?: number };

export const taskPagesOf = (order: ProductOrder, taskId: string): TaskPages | undefined => {
  if (order.tasks.length <= pageLayout.inlineTasks) return undefined;
  const index = order.tasks.findIndex((t) => t.id === taskId);
  if (index < 0) return undefined;
  const itemIndex = order.items.findIndex((i) => i.id === order.tasks[index]!.orderItemId);
  const pagedItems = order.items.length > pageLayout.inlineItems;
  return {
    taskPage: Math.floor(index / pageLayout.tasksPerPage),
    ...(pagedItems && itemIndex >= 0 ? { itemPage: Math.floor(itemIndex / pageLayout.itemsPerPage) } : {}),
  };
};
