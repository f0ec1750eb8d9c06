import type { ExtraItem } from '#adapters/aggregate-store';
import { loadProducts, productWrite } from '#adapters/product-repository';
import type { CommandContext } from '#domain/actor';
import {
  type InstalledBaseChange,
  installedBaseChange,
  productIdsChangedBy,
  releasedProducts,
} from '#domain/inventory/installed-base';
import { nextInstalledBaseSlice } from '#domain/inventory/installed-base-writes';
import type { InstalledProduct } from '#domain/inventory/product';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

type Effect = (
  order: ProductOrder,
  current: ReadonlyMap<string, InstalledProduct>,
  now: string,
) => InstalledBaseChange;

/**
 * `ended`: the order's ending is in this write. Otherwise the write holds the next slice of its
 * installed base and its progress only; the caller decides again on the saved order.
 */
export type InstalledBaseWrite = { change: OrderCommandResult; extraItems?: ExtraItem[]; ended: boolean };

/**
 * An order decision that ends the order, with what it does to the installed base written in the
 * order's own transactions (a decision that is not saved changes nothing): completing applies each
 * item's action, cancelling releases the products the order held. A large order's products are
 * written slice by slice (`nextInstalledBaseSlice`), the ending with the last slice.
 */
const withInstalledBase =
  (effect: Effect) =>
  async (
    order: ProductOrder,
    ctx: CommandContext,
    decide: (order: ProductOrder, ctx: CommandContext) => OrderCommandResult,
  ): Promise<InstalledBaseWrite> => {
    const change = decide(order, ctx);
    if (change.events.length === 0) return { change, ended: true };
    const slice = nextInstalledBaseSlice(order);
    const part = { ...change.order, items: change.order.items.slice(slice.from, slice.to) };
    const ids = productIdsChangedBy(part);
    const current = ids.length > 0 ? await loadProducts(ids) : new Map<string, InstalledProduct>();
    const installed = effect(part, current, ctx.now);
    const extraItems = installed.writes.map((w) => productWrite(w.product, w.isNew));
    if (!slice.last) {
      return {
        change: { order: { ...order, installedBaseWritten: slice.to }, events: installed.events },
        extraItems,
        ended: false,
      };
    }
    const ending =
      order.installedBaseWritten === undefined
        ? change.order
        : { ...change.order, installedBaseWritten: slice.to };
    return {
      change: { order: ending, events: [...change.events, ...installed.events] },
      ...(extraItems.length > 0 ? { extraItems } : {}),
      ended: true,
    };
  };

export const completeWithInstalledBase = withInstalledBase(installedBaseChange);

export const cancelWithInstalledBase = withInstalledBase((order, current, now) =>
  order.state === 'cancelled' ? releasedProducts(order, current, now) : { writes: [], events: [] },
);
