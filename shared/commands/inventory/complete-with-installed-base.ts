import type { ExtraItem } from '#adapters/aggregate-store';
import { loadProducts, productWrite } from '#adapters/product-repository';
import type { CommandContext } from '#domain/actor';
import {
  type InstalledBaseChange,
  installedBaseChange,
  productIdsChangedBy,
  releasedProducts,
} from '#domain/inventory/installed-base';
import type { InstalledProduct } from '#domain/inventory/product';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

type Effect = (
  order: ProductOrder,
  current: ReadonlyMap<string, InstalledProduct>,
  now: string,
) => InstalledBaseChange;

/**
 * An order decision that ends the order, with what it does to the installed base written in the
 * order's transaction (a decision that is not saved changes nothing): completing applies each
 * item's action, cancelling releases the products the order held.
 */
const withInstalledBase =
  (effect: Effect) =>
  async (
    order: ProductOrder,
    ctx: CommandContext,
    decide: (order: ProductOrder, ctx: CommandContext) => OrderCommandResult,
  ): Promise<{ change: OrderCommandResult; extraItems?: ExtraItem[] }> => {
    const change = decide(order, ctx);
    if (change.events.length === 0) return { change };
    // Items whose products an earlier chunk wrote (`installChunkOf`) are not installed twice.
    const rest = { ...change.order, items: change.order.items.slice(change.order.installedItems ?? 0) };
    const ids = productIdsChangedBy(rest);
    const current = ids.length > 0 ? await loadProducts(ids) : new Map<string, InstalledProduct>();
    const installed = effect(rest, current, ctx.now);
    if (installed.writes.length === 0) return { change };
    return {
      change: { order: change.order, events: [...change.events, ...installed.events] },
      extraItems: installed.writes.map((w) => productWrite(w.product, w.isNew)),
    };
  };

export const completeWithInstalledBase = withInstalledBase(installedBaseChange);

export const cancelWithInstalledBase = withInstalledBase((order, current, now) =>
  order.state === 'cancelled' ? releasedProducts(order, current, now) : { writes: [], events: [] },
);

/**
 * Installed products one transaction writes at most: with their events (at most two each) and
 * the order, well within DynamoDB's 100 actions per transaction.
 */
export const installChunk = 25;

/**
 * Before the transaction that completes a large order: the installed products of its next
 * `installChunk` items, with the order's `installedItems` moved on in the same version-checked
 * transaction, so a retry resumes after the last chunk written and creates no product twice.
 * Undefined when the rest fits the completing transaction (or the chunk changes nothing).
 */
export const installChunkOf = async (
  order: ProductOrder,
  ctx: CommandContext,
): Promise<{ change: OrderCommandResult; extraItems: ExtraItem[] } | undefined> => {
  const from = order.installedItems ?? 0;
  if (order.items.length - from <= installChunk) return undefined;
  const slice = { ...order, items: order.items.slice(from, from + installChunk) };
  const ids = productIdsChangedBy(slice);
  const current = ids.length > 0 ? await loadProducts(ids) : new Map<string, InstalledProduct>();
  const installed = installedBaseChange(slice, current, ctx.now);
  // Without an event nothing would be written, the marker included: let the completion do it.
  if (installed.events.length === 0) return undefined;
  return {
    change: { order: { ...order, installedItems: from + installChunk }, events: installed.events },
    extraItems: installed.writes.map((w) => productWrite(w.product, w.isNew)),
  };
};
