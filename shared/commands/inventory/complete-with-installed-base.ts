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
    const ids = productIdsChangedBy(order);
    const current = ids.length > 0 ? await loadProducts(ids) : new Map<string, InstalledProduct>();
    const installed = effect(change.order, current, ctx.now);
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
