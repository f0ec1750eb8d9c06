import { type Downstream, isDownstream } from '#domain/order/fulfillment-task';
import type { OrderFacts, QuoteFacts } from '#domain/reconciliation/checks';
import { env } from '#plumbing/env';
import type { Stored } from './aggregate-store.ts';
import { itemsOf } from './key-pages.ts';
import { conversionKey, loadOrder } from './order-repository.ts';
import { loadQuote } from './quote-loader.ts';

type Data = Record<string, unknown> & {
  acceptance?: { acceptedAt?: string };
  tasks?: Record<string, unknown>[];
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
});

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
