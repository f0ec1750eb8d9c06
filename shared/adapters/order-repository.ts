import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  aggregateKey,
  type ExtraItem,
  type Stored,
  saveAggregate,
  unavailable,
} from '#adapters/aggregate-store';
import { aggregatePage, readPage } from '#adapters/key-pages';
import { heldBlueprint, heldPage, holdBlueprint, holdPage } from '#adapters/order-blueprints';
import {
  assemble,
  changedPages,
  isBlueprintPage,
  joinTasks,
  layoutOf,
  type Page,
  type PageCounts,
  type PageKind,
  pageCountsOf,
  pageItems,
  pageKind,
  pageKindOf,
  pageLayout,
  pageSk,
  pageTotal,
  planPageOf,
  splitTask,
  type TaskPages,
} from '#adapters/order-pages';
import { type OrderListFilter, orderIndexKeys, planOrderList } from '#domain/access/list-keys';
import { cancellationIndexKeys, planCancellationList } from '#domain/access/tmf-list-keys';
import { canSee } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import { ORDER_LEVEL_ITEM } from '#domain/order/fulfillment-task';
import type { CancelProductOrder, ProductOrder, ProductOrderItem } from '#domain/order/product-order';
import { type DateRange, inRange, listKeyBounds } from '#domain/tmf/list-query';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { unpacked } from './packed-data.ts';

/** Indexed attributes of the aggregate item, for listing and for people reading the table. */
export const orderAttributes = (order: ProductOrder): Record<string, unknown> => ({
  ...orderIndexKeys(order),
  ...cancellationIndexKeys(order),
  ...(order.cancellation ? { cancellation: order.cancellation } : {}),
  channelId: order.channelId,
  state: order.state,
  quoteId: order.quoteId,
  orderDate: order.orderDate,
});

/** Whether an aggregates-table item is the header of an order kept in pages (items, tasks). */
export const isPagedOrder = (item: Record<string, unknown>): boolean =>
  item.itemType === 'order' && pageTotal(pageCountsOf(item)) > 0;

/** Pages between two keys, consistently, in key order, at most `count` (a query page stops at 1 MB). */
const readRange = async (pk: string, first: string, last: string, count: number): Promise<Page[]> => {
  const pages: Page[] = [];
  let start: Record<string, unknown> | undefined;
  while (pages.length < count) {
    const res = await documentClient()
      .send(
        new QueryCommand({
          TableName: env.table('aggregates'),
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: { ':pk': pk, ':first': first, ':last': last },
          ConsistentRead: true,
          Limit: count - pages.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      )
      .catch(unavailable);
    for (const item of res.Items ?? [])
      pages.push({ sk: item.sk as string, entries: unpacked<unknown[]>(item, 'entries') });
    start = res.LastEvaluatedKey;
    if (!start) break;
  }
  return pages;
};

/**
 * The pages the header names, in one query over their range. A page of a count that shrank (a
 * revision dropped items) may lie inside that range: then each kind is read on its own range.
 */
const readPages = async (pk: string, kinds: readonly [PageKind, number][]): Promise<Page[]> => {
  const wanted = kinds
    .flatMap(([kind, count]) => Array.from({ length: count }, (_, i) => pageSk(kind, i)))
    .sort();
  if (wanted.length === 0) return [];
  const pages = await readRange(pk, wanted[0]!, wanted.at(-1)!, wanted.length);
  if (pages.map((p) => p.sk).join() === wanted.join()) return pages;
  const byKind = kinds
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => readRange(pk, pageSk(kind, 0), pageSk(kind, count - 1), count));
  return (await Promise.all(byKind)).flat();
};

/** The order with its pages, each read consistently (a large order: its header, then its pages). */
export const loadOrder = async (orderId: string): Promise<Stored<ProductOrder> | undefined> => {
  const key = aggregateKey('ORDER', orderId);
  const res = await documentClient()
    .send(new GetCommand({ TableName: env.table('aggregates'), Key: key, ConsistentRead: true }))
    .catch(unavailable);
  if (!res.Item) return undefined;
  const header = unpacked<ProductOrder>(res.Item);
  const version = res.Item.version as number;
  const counts = pageCountsOf(res.Item);
  if (pageTotal(counts) === 0) return { aggregate: header, version };
  // Item and plan pages as last read, when no write since changed them: only step pages are read.
  const blueprintVersion = res.Item.blueprintVersion;
  const held = heldBlueprint(orderId, blueprintVersion);
  const blueprint = held && sameCounts(held, counts) ? held : undefined;
  const kinds: [PageKind, number][] = [
    [pageKind.items, blueprint ? 0 : counts.itemPages],
    [pageKind.plans, blueprint ? 0 : counts.planPages],
    [pageKind.steps, counts.stepPages],
    [pageKind.tasks, counts.taskPages ?? 0],
  ];
  const read = await readPages(key.pk, kinds);
  if (!blueprint) holdBlueprint(orderId, blueprintVersion, read.filter(isBlueprintPage));
  const order = assemble(header, counts, [...(blueprint ?? []), ...read]);
  if ((counts.taskPages ?? 0) > 0) writtenWholeTasks.add(order);
  return { aggregate: order, version };
};

const sameCounts = (pages: readonly Page[], counts: PageCounts) =>
  pages.filter((p) => pageKindOf(p) === pageKind.items).length === counts.itemPages &&
  pages.filter((p) => pageKindOf(p) === pageKind.plans).length === counts.planPages;

/** Orders read from whole-task pages: their next save writes every page of the split layout. */
const writtenWholeTasks = new WeakSet<ProductOrder>();

/**
 * One task's part of an order, as a workflow step on that task reads it: the header, the step
 * page holding the task's execution state, the plan page holding its blueprint and the page
 * holding its item, in one consistent BatchGetItem — the same four items whatever the order's
 * size, two once this function holds the plan and item page under the header's blueprint version. The order it returns holds only that step page's tasks and that page's items;
 * `saveOrderPart` writes it back. Undefined when the part cannot stand for the step (the order
 * keeps its tasks in the header, the pages moved, a key was left unprocessed): the step then
 * reads the whole order.
 */
export type OrderPart = Stored<ProductOrder> & {
  part: { taskPage: number; taskIds: string[]; plans: string; counts: PageCounts };
};

/** Items of the order's partition by sort key, in one consistent BatchGetItem; undefined if any was left unprocessed. */
const readKeys = async (pk: string, sks: readonly string[]) => {
  const table = env.table('aggregates');
  const Keys = sks.map((sk) => ({ pk, sk }));
  const res = await documentClient()
    .send(new BatchGetCommand({ RequestItems: { [table]: { Keys, ConsistentRead: true } } }))
    .catch(unavailable);
  if ((res.UnprocessedKeys?.[table]?.Keys?.length ?? 0) > 0) return undefined;
  return new Map((res.Responses?.[table] ?? []).map((item) => [item.sk as string, item]));
};

export const loadOrderPart = async (
  orderId: string,
  taskId: string,
  pages: TaskPages,
): Promise<OrderPart | undefined> => {
  const key = aggregateKey('ORDER', orderId);
  // A reference made before step pages changed size names no plan page: the usual size then.
  const planPage = pages.planPage ?? planPageOf(pages.taskPage, pageLayout.stepsPerPage);
  const stepSk = pageSk(pageKind.steps, pages.taskPage);
  const planSk = pageSk(pageKind.plans, planPage);
  const itemSk = pages.itemPage !== undefined ? pageSk(pageKind.items, pages.itemPage) : undefined;
  // Item and plan pages this function read before are not asked again if still current.
  const held = new Map(
    [planSk, itemSk].flatMap((sk) => {
      const page = sk ? heldPage(orderId, sk) : undefined;
      return sk && page ? [[sk, page] as const] : [];
    }),
  );
  const unheld = [planSk, ...(itemSk ? [itemSk] : [])].filter((sk) => !held.has(sk));
  const found = await readKeys(key.pk, ['A', stepSk, ...unheld]);
  const headerItem = found?.get('A');
  if (!found || !headerItem) return undefined;
  const version = headerItem.blueprintVersion;
  const stale = [...held].filter(([, page]) => page.version !== version).map(([sk]) => sk);
  const fresh = stale.length > 0 ? await readKeys(key.pk, stale) : new Map();
  if (!fresh) return undefined;
  const entriesOf = (sk: string): unknown[] | undefined => {
    const pageItem = found.get(sk) ?? fresh.get(sk);
    const read = pageItem ? unpacked<unknown[]>(pageItem, 'entries') : undefined;
    if (read) holdPage(orderId, sk, version, read);
    return read ?? (stale.includes(sk) ? undefined : held.get(sk)?.entries);
  };
  const header = unpacked<ProductOrder>(headerItem);
  const counts = pageCountsOf(headerItem);
  const stepItem = found.get(stepSk);
  const steps = stepItem ? unpacked<unknown[]>(stepItem, 'entries') : undefined;
  const planEntries = entriesOf(planSk);
  // Step pages of another size than the reference was made for: the plan page read may not hold them.
  if (planPageOf(pages.taskPage, counts.stepsPerPage) !== planPage) return undefined;
  if (counts.stepPages <= pages.taskPage || counts.planPages <= planPage || !steps || !planEntries)
    return undefined;
  const offset = pages.taskPage * counts.stepsPerPage - planPage * pageLayout.plansPerPage;
  const plans = planEntries.slice(offset, offset + steps.length);
  if (plans.length !== steps.length) return undefined;
  const tasks = joinTasks(plans, steps);
  const task = tasks.find((t) => t.id === taskId);
  if (!task) return undefined;
  const itemEntries = itemSk ? entriesOf(itemSk) : undefined;
  const items = counts.itemPages > 0 ? ((itemEntries ?? []) as ProductOrderItem[]) : header.items;
  // The task's events name its item's product family: a part without that item cannot stand in.
  if (task.orderItemId !== ORDER_LEVEL_ITEM && !items.some((i) => i.id === task.orderItemId))
    return undefined;
  return {
    aggregate: { ...header, items, tasks },
    version: headerItem.version as number,
    part: { taskPage: pages.taskPage, taskIds: tasks.map((t) => t.id), plans: JSON.stringify(plans), counts },
  };
};

/**
 * Writes a step's change to one task's part of an order: the header (version-checked, as every
 * save) and the task's step page, in one transaction — nothing else of the order is read or
 * written. A change that adds or drops tasks, or touches a blueprint, is no one-page change and
 * is refused.
 */
export const saveOrderPart = (
  order: ProductOrder,
  part: OrderPart['part'],
  expectedVersion: number,
  events: readonly DomainEvent[],
  ctx: { correlationId: string; now: string },
  extraItems?: ExtraItem[],
): Promise<number> => {
  const split = order.tasks.map(splitTask);
  if (
    order.tasks.map((t) => t.id).join('\n') !== part.taskIds.join('\n') ||
    JSON.stringify(split.map((t) => t.plan)) !== part.plans
  )
    throw new Error(
      `A step changed the tasks of page ${part.taskPage} of order ${order.id}: not a one-page change`,
    );
  const { counts } = part;
  const header: ProductOrder = {
    ...order,
    items: counts.itemPages > 0 ? [] : order.items,
    tasks: [],
    ...(order.plan ? { plan: { ...order.plan, taskIds: [] } } : {}),
  };
  const page = { sk: pageSk(pageKind.steps, part.taskPage), entries: split.map((t) => t.step) };
  return saveAggregate({
    kind: 'ORDER',
    id: order.id,
    expectedVersion,
    aggregate: header,
    events,
    correlationId: ctx.correlationId,
    now: ctx.now,
    attributes: { ...orderAttributes(order), ...counts },
    packed: true,
    extraItems: [...(extraItems ?? []), ...pageItems(aggregateKey('ORDER', order.id).pk, [page], ctx.now)],
  });
};

/** A partner sees its own channel only; anything else is indistinguishable from absent. */
export const loadOrderFor = async (principal: Actor, orderId: string): Promise<Stored<ProductOrder>> => {
  const stored = await loadOrder(orderId);
  if (!stored || !canSee(principal, stored.aggregate.channelId)) {
    throw new DomainError('NOT_FOUND', `Product order ${orderId} not found`);
  }
  return stored;
};

/**
 * Writes the order, its events and extra items in one transaction; a large order's header with
 * only the pages that changed since `before` (the order as loaded), all of them when new.
 */
export const saveOrder = (
  order: ProductOrder,
  expectedVersion: number,
  events: readonly DomainEvent[],
  ctx: { correlationId: string; now: string },
  extraItems?: ExtraItem[],
  before?: ProductOrder,
): Promise<number> => {
  const layout = layoutOf(order);
  const stored = before && expectedVersion > 0 && !writtenWholeTasks.has(before) ? before : undefined;
  const storedLayout = stored && layoutOf(stored);
  const pages = changedPages(layout, storedLayout);
  const extras = [...(extraItems ?? []), ...pageItems(aggregateKey('ORDER', order.id).pk, pages, ctx.now)];
  // A write of item or plan pages (or of their number) names itself: readers drop what they hold.
  const blueprintChanged =
    !storedLayout ||
    pages.some(isBlueprintPage) ||
    storedLayout.attributes.itemPages !== layout.attributes.itemPages ||
    storedLayout.attributes.planPages !== layout.attributes.planPages;
  return saveAggregate({
    kind: 'ORDER',
    id: order.id,
    expectedVersion,
    aggregate: layout.header,
    events,
    correlationId: ctx.correlationId,
    now: ctx.now,
    attributes: {
      ...orderAttributes(order),
      ...layout.attributes,
      ...(blueprintChanged ? { blueprintVersion: expectedVersion + 1 } : {}),
    },
    packed: true,
    ...(extras.length > 0 ? { extraItems: extras } : {}),
  });
};

// ---- quote conversion ------------------------------------------------------------------------

export const conversionKey = (quoteId: string) => ({ pk: `CONVERSION#${quoteId}`, sk: 'A' });

/**
 * The unique conversion record: written in the order's transaction with `mustNotExist`, so one
 * accepted quote gives at most one order whatever the idempotency keys of racing requests.
 */
export const conversionRecord = (
  order: ProductOrder,
  ctx: { correlationId: string; now: string },
): ExtraItem => ({
  item: {
    ...conversionKey(order.quoteId),
    itemType: 'conversion',
    quoteId: order.quoteId,
    orderId: order.id,
    channelId: order.channelId,
    createdAt: ctx.now,
    correlationId: ctx.correlationId,
  },
  mustNotExist: true,
});

export const loadConversion = async (quoteId: string): Promise<{ orderId: string } | undefined> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: env.table('aggregates'), Key: conversionKey(quoteId), ConsistentRead: true }),
  );
  return res.Item ? { orderId: String(res.Item.orderId) } : undefined;
};

// ---- listing ---------------------------------------------------------------------------------

export type OrderFilter = OrderListFilter & {
  quoteId?: string;
  limit: number;
  offset: number;
  /** Sort key after which the page starts (decoded cursor). */
  after?: string;
  /** TMF `orderDate.gt|gte|lt|lte`: orders created inside it (list keys start with the instant). */
  orderDate?: DateRange;
};

export type OrderPage = { orders: ProductOrder[]; next?: string; total?: number };

const withVersion = (item: Record<string, unknown>): ProductOrder => ({
  ...unpacked<ProductOrder>(item),
  version: item.version as number,
});

/** A listed order as the client reads it one by one: a large order with its items and tasks. */
const withPages = async (item: Record<string, unknown>): Promise<ProductOrder> => {
  const stored = isPagedOrder(item) ? await loadOrder(unpacked<ProductOrder>(item).id) : undefined;
  return stored ? { ...stored.aggregate, version: stored.version } : withVersion(item);
};

/** A quote converts into at most one order: its conversion record names it (exact total). */
const orderOfQuote = async (principal: Actor, filter: OrderFilter): Promise<OrderPage> => {
  const conversion = await loadConversion(filter.quoteId ?? '');
  const stored = conversion ? await loadOrder(conversion.orderId) : undefined;
  const order = stored ? { ...stored.aggregate, version: stored.version } : undefined;
  const visible =
    order &&
    canSee(principal, order.channelId) &&
    (!filter.channelId || order.channelId === filter.channelId) &&
    (!filter.accountId || order.accountId === filter.accountId) &&
    (!filter.state || order.state === filter.state) &&
    (!filter.externalId || order.externalId === filter.externalId) &&
    inRange(order.orderDate, filter.orderDate);
  const all = visible ? [order] : [];
  return { orders: all.slice(filter.offset, filter.offset + filter.limit), total: all.length };
};

/**
 * Newest first, from the index the filter selects (see `planOrderList`): a page of keys, then
 * exactly the orders on the page. Partners are confined to their channel by the key.
 */
export const listOrders = async (principal: Actor, filter: OrderFilter): Promise<OrderPage> => {
  if (filter.quoteId !== undefined) return orderOfQuote(principal, filter);
  const plan = planOrderList(principal, filter);
  const table = env.table('aggregates');
  const page = await aggregatePage({
    table,
    index: plan.index,
    partitionAttribute: plan.partitionAttribute,
    partitions: plan.partitions,
    limit: filter.limit,
    offset: filter.offset,
    ...(filter.after ? { after: filter.after } : {}),
    ...(filter.orderDate ? { range: listKeyBounds(filter.orderDate) } : {}),
    ...(plan.where ? { where: plan.where } : {}),
  });
  const items = page.items;
  // Indexes are eventually consistent: an order that moved on since its index entry was read is
  // left out rather than shown under a filter it no longer matches (the page may come back short).
  const orders = (await Promise.all(items.map(withPages))).filter(
    (o) => (!filter.state || o.state === filter.state) && canSee(principal, o.channelId),
  );
  return { orders, ...(page.next ? { next: page.next } : {}) };
};

// ---- cancellations ---------------------------------------------------------------------------

/** Newest requested first; the sparse index carries each cancellation, so nothing else is read. */
export const listCancellations = async (
  principal: Actor,
  filter: { channelId?: string; limit: number; offset: number; after?: string },
): Promise<{ cancellations: CancelProductOrder[]; next?: string }> => {
  const plan = planCancellationList(principal, filter);
  const page = await readPage({
    table: env.table('aggregates'),
    index: plan.index,
    partitionAttribute: plan.partitionAttribute,
    sortAttribute: 'cancelListKey',
    partitions: plan.partitions,
    direction: 'newestFirst',
    limit: filter.limit,
    offset: filter.offset,
    ...(filter.after ? { after: filter.after } : {}),
  });
  const cancellations = page.entries
    .map((entry) => entry.cancellation as CancelProductOrder)
    .filter((c) => c !== undefined && canSee(principal, c.channelId));
  return { cancellations, ...(page.next ? { next: page.next } : {}) };
};
