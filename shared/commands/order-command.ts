import type { ExtraItem } from '#adapters/aggregate-store';
import type { TaskPages } from '#adapters/order-pages';
import {
  loadOrder,
  loadOrderFor,
  loadOrderPart,
  type OrderPart,
  saveOrder,
  saveOrderPart,
} from '#adapters/order-repository';
import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import type { ProductOrder } from '#domain/order/product-order';
import { decideOnCurrent, versionOfIfMatch } from './optimistic-concurrency.ts';

/** A decision on an order: the changed order, its events (none: nothing written) and an answer. */
export type OrderDecision<R> = {
  order: ProductOrder;
  events: readonly DomainEvent[];
  result: R;
  /** Other records written in the order's transaction (installed products). */
  extraItems?: ExtraItem[];
  /** Saved although no event says so (a slice of an ending order's installed base). */
  changed?: boolean;
};

/**
 * Load-decide-save of one order. A person reaches only the orders it may see; the system
 * (workflow steps, sweeps) reaches every order. Returns the order as saved, with its version.
 */
export const changeOrder = async <R>(spec: {
  orderId: string;
  ctx: CommandContext;
  asSystem?: boolean;
  /** The client's If-Match, when it sent one: the version it edited. */
  ifMatch?: string;
  decide: (order: ProductOrder) => OrderDecision<R> | Promise<OrderDecision<R>>;
  /**
   * A workflow step on one task of a large order: where that task is. The step then reads and
   * writes the header and that task's page only, while the order is in progress (a held or
   * cancelling order, whose decisions may reach other tasks, is read whole).
   */
  taskPart?: { taskId: string; pages: TaskPages };
}): Promise<{ order: ProductOrder; result: R }> => {
  // The order as last loaded: a large order's save writes only the pages that changed since.
  let loaded: ProductOrder | undefined;
  let part: OrderPart['part'] | undefined;
  const decided = await decideOnCurrent({
    load: async () => {
      if (!spec.asSystem) return loadOrderFor(spec.ctx.actor, spec.orderId);
      part = undefined;
      if (spec.taskPart) {
        const scoped = await loadOrderPart(spec.orderId, spec.taskPart.taskId, spec.taskPart.pages);
        if (scoped?.aggregate.state === 'inProgress') {
          part = scoped.part;
          return scoped;
        }
      }
      const stored = await loadOrder(spec.orderId);
      if (!stored) throw new DomainError('NOT_FOUND', `order ${spec.orderId} not found`);
      return stored;
    },
    ...(spec.ifMatch !== undefined ? { expectedVersion: versionOfIfMatch(spec.ifMatch) } : {}),
    decide: async (stored) => {
      const { order, events, result, extraItems, changed } = await spec.decide(stored.aggregate);
      loaded = stored.aggregate;
      return { aggregate: order, events, ...(changed ? { changed } : {}), result: { result, extraItems } };
    },
    save: (decided, expectedVersion) =>
      part
        ? saveOrderPart(
            decided.aggregate,
            part,
            expectedVersion,
            decided.events,
            spec.ctx,
            decided.result.extraItems,
          )
        : saveOrder(
            decided.aggregate,
            expectedVersion,
            decided.events,
            spec.ctx,
            decided.result.extraItems,
            loaded,
          ),
  });
  return { order: { ...decided.aggregate, version: decided.version }, result: decided.result.result };
};
