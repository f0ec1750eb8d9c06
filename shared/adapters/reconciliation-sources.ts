import type { InstalledProduct } from '#domain/inventory/product';
import { productIdOf } from '#domain/inventory/product';
import { type Downstream, isDownstream } from '#domain/order/fulfillment-task';
import type { OrderItemAction } from '#domain/order/product-order';
import type { OrderFacts, QuoteFacts } from '#domain/reconciliation/checks';
import type { ProductFacts } from '#domain/reconciliation/installed-base-drift';
import { env } from '#plumbing/env';
import type { Stored } from './aggregate-store.ts';
import { itemsOf } from './key-pages.ts';
import { conversionKey, loadOrder } from './order-repository.ts';
import { loadProducts } from './product-repository.ts';
import { loadQuote } from './quote-loader.ts';

type Data = Record<string, unknown> & {
  acceptance?: { acceptedAt?: string };
  tasks?: Record<string, unknown>[];
  items?: {
    id?: unknown;
    action?: unknown;
    change?: { productId?: unknown };
    price?: { netRecurring?: unknown };
  }[];
};
export type Item = { data: Data; version: number };

/** A task names one of the domain's systems; any other is a defect to see, not a system to guess. */
const downstreamOf = (task: Record<string, unknown>): Downstream => {
  if (isDownstream(task.downstream)) return task.downstream;
  throw new Error(`Task ${String(task.id)} names an unknown downstream system: ${String(task.downstream)}`);
};

export const quoteFacts = ({ data, version }: Item): QuoteFacts => ({
  id: String(data.id),
  version,
  state: String(data.state),
  channelId: String(data.channelId ?? ''),
  acceptedAt: data.acceptance?.acceptedAt,
  updatedAt: typeof data.updatedAt === 'string' ? data.updatedAt : undefined,
});

export const orderFacts = ({ data, version }: Item): OrderFacts => ({
  id: String(data.id),
  version,
  state: String(data.state),
  quoteId: String(data.quoteId ?? ''),
  channelId: String(data.channelId ?? ''),
  orderDate: String(data.orderDate ?? ''),
  updatedAt: typeof data.updatedAt === 'string' ? data.updatedAt : undefined,
  correlationId: typeof data.correlationId === 'string' ? data.correlationId : undefined,
  planned: data.plan !== undefined && data.plan !== null,
  tasks: (data.tasks ?? []).map((t) => ({
    id: String(t.id),
    orderItemId: String(t.orderItemId ?? ''),
    type: String(t.type),
    action: String(t.action ?? 'add'),
    downstream: downstreamOf(t),
    correlationId: String(t.correlationId ?? ''),
    state: String(t.state),
    attempts: Number(t.attempts ?? 0),
    completedAt: typeof t.completedAt === 'string' ? t.completedAt : undefined,
  })),
  items: (data.items ?? []).map((item) => ({
    id: String(item.id),
    action: String(item.action ?? 'add') as OrderItemAction,
    productId:
      typeof item.change?.productId === 'string'
        ? item.change.productId
        : productIdOf(String(data.id), String(item.id)),
    netRecurring: Number(item.price?.netRecurring ?? 0),
  })),
});

/** The facts of an installed product the installed-base checks compare. */
export const productFacts = (product: InstalledProduct): ProductFacts => ({
  id: product.id,
  version: product.version,
  status: product.status,
  netRecurring: product.price.netRecurring,
  currency: product.currency,
  updatedAt: product.updatedAt,
  ...(product.pendingOrderId ? { pendingOrderId: product.pendingOrderId } : {}),
  changes: product.changes.map((c) => ({
    orderId: c.orderId,
    orderItemId: c.orderItemId,
    action: c.action,
    status: c.status,
    at: c.at,
  })),
});

/** The products of the given ids, read by key, 100 a batch (absent ids are absent from the map). */
export const productFactsByIds = async (ids: readonly string[]): Promise<Map<string, ProductFacts>> => {
  const unique = [...new Set(ids)];
  const out = new Map<string, ProductFacts>();
  for (let i = 0; i < unique.length; i += 100) {
    for (const [id, p] of await loadProducts(unique.slice(i, i + 100))) out.set(id, productFacts(p));
  }
  return out;
};

/** The aggregates of a run scoped to ids (read consistently; absent ids are skipped). */
export const loadByIds = async (kind: 'QUOTE' | 'ORDER', ids: string[]): Promise<Item[]> =>
  (
    await Promise.all(
      ids.map((id) =>
        kind === 'ORDER'
          ? (loadOrder(id) as Promise<Stored<Data> | undefined>)
          : (loadQuote(id) as Promise<Stored<Data> | undefined>),
      ),
    )
  )
    .filter((s) => s !== undefined)
    .map((s) => ({ data: s.aggregate, version: s.version }));

/**
 * Facts of one page. Whether an accepted quote was converted is its conversion record (written
 * in the order's transaction), read by key for the page's accepted quotes only.
 */
export const factsOf = async (quotes: Item[], orders: Item[]) => {
  const quoteFactsList = quotes.map(quoteFacts);
  const accepted = quoteFactsList.filter((q) => q.acceptedAt !== undefined).map((q) => q.id);
  const conversions = await itemsOf(env.table('aggregates'), accepted.map(conversionKey));
  return {
    quotes: quoteFactsList,
    orders: orders.map(orderFacts),
    convertedQuoteIds: new Set(conversions.map((c) => String(c.quoteId))),
  };
};
