import type { ExtraItem } from '#adapters/aggregate-store';
import { loadProducts, productWrite } from '#adapters/product-repository';
import type { CommandContext } from '#domain/actor';
import { installedBaseChange, productIdsChangedBy } from '#domain/inventory/installed-base';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/**
 * Completes the order and, in the same decision, the installed base: the products its items add
 * or change, written in the order's transaction (a completion that is not saved changes nothing).
 */
export const completeWithInstalledBase = async (
  order: ProductOrder,
  ctx: CommandContext,
  complete: (order: ProductOrder, ctx: CommandContext) => OrderCommandResult,
): Promise<{ change: OrderCommandResult; extraItems?: ExtraItem[] }> => {
  const change = complete(order, ctx);
  if (change.events.length === 0) return { change };
  const ids = productIdsChangedBy(order);
  const current = ids.length > 0 ? await loadProducts(ids) : new Map();
  const installed = installedBaseChange(change.order, current, ctx.now);
  return {
    change: { order: change.order, events: [...change.events, ...installed.events] },
    extraItems: installed.writes.map((w) => productWrite(w.product, w.isNew)),
  };
};
