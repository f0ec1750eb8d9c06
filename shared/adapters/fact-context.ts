import { loadAggregate } from '#adapters/aggregate-store';
import { loadOrder } from '#adapters/order-repository';
import { billingFaithfulToOrder } from '#domain/audit/order-evidence';
import { BILLING_HANDOFF_TASK_ID } from '#domain/order/decomposition';
import type { ProductOrder } from '#domain/order/product-order';
import type { SourceEvent } from '#domain/projections/source-event';
import type { Quote } from '#domain/quote/quote-types';
import type { FactContext } from '#domain/reporting/facts-of-event';

/** Regions rarely change and are read per order event: a bounded memo per execution environment. */
const regions = new Map<string, string | null>();
const remember = (key: string, region: string | null) => {
  if (regions.size >= 5_000) regions.delete(regions.keys().next().value!);
  regions.set(key, region);
  return region;
};

const quoteRegion = async (quoteId: string): Promise<string | null> => {
  const key = `QUOTE#${quoteId}`;
  if (regions.has(key)) return regions.get(key)!;
  const quote = await loadAggregate<Quote>('QUOTE', quoteId);
  return remember(key, quote?.aggregate.customer.region ?? null);
};

const orderContext = async (source: SourceEvent): Promise<FactContext> => {
  const r = source.resource as { orderId?: string; quoteId?: string; type?: string; state?: string };
  const orderId = r.orderId ?? source.aggregateId;
  const billingDone = r.type === BILLING_HANDOFF_TASK_ID && r.state === 'DONE';
  const known = regions.get(`ORDER#${orderId}`);
  if (!billingDone && known !== undefined) return { region: known };
  if (!billingDone && r.quoteId)
    return { region: remember(`ORDER#${orderId}`, await quoteRegion(r.quoteId)) };
  // Billing's acknowledgement is judged on the whole order: its items and tasks are in its pages.
  const order = billingDone
    ? (await loadOrder(orderId))?.aggregate
    : (await loadAggregate<ProductOrder>('ORDER', orderId))?.aggregate;
  if (!order) return { region: null };
  const region = remember(`ORDER#${orderId}`, await quoteRegion(order.quoteId));
  if (!billingDone) return { region };
  const whole = order.items?.length > 0 && order.tasks?.some((t) => t.id === BILLING_HANDOFF_TASK_ID);
  return { region, billingMatchesContract: whole ? billingFaithfulToOrder(order).faithful : null };
};

/**
 * What a fact needs beyond its event, read from the source of record (GetItem of the quote or
 * order header; the whole order once, when billing acknowledged it): the accepted quote's line
 * margins, an order's region (its quote's customer), and whether billing acknowledged the order's
 * terms.
 */
export const factContextOf = async (source: SourceEvent): Promise<FactContext> => {
  if (source.eventType === 'QuoteAcceptedEvent') {
    const quote = (await loadAggregate<Quote>('QUOTE', source.aggregateId))?.aggregate;
    const lines = quote?.priceSnapshot?.lines ?? [];
    return {
      lineMargins: Object.fromEntries(
        lines.flatMap((l) => (l.marginRecurring === undefined ? [] : [[l.lineId, l.marginRecurring]])),
      ),
    };
  }
  if (source.domain === 'productOrder') return orderContext(source);
  return {};
};
