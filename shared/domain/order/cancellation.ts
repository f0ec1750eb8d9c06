import { canSee, visibilityOfWriter } from '#domain/access/visibility';
import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { planCompensation } from '#domain/order/compensation';
import { assertOrderState } from '#domain/order/order-changes';
import { cancellationEvent, changeEvents } from '#domain/order/order-events';
import { isPastPointOfNoReturn } from '#domain/order/point-of-no-return';
import type { CancelProductOrder, OrderCommandResult, ProductOrder } from '#domain/order/product-order';

export type CancellationRequest = {
  cancellationReason: string;
  cancelId: string;
  requestedCancellationDate?: string;
};

export type CancellationResult = OrderCommandResult & { cancel: CancelProductOrder };

/**
 * Cancels an order before the point of no return. Tasks that never reached a downstream are
 * dropped; every task that may have a side effect gets a compensation, and the order waits in
 * pendingCancellation until those are done. With nothing to undo it is cancelled at once.
 */
export const requestCancellation = (
  order: ProductOrder,
  request: CancellationRequest,
  ctx: CommandContext,
): CancellationResult => {
  if (!canSee(ctx.actor, order.channelId)) {
    throw new DomainError('NOT_FOUND', 'Order not found', { orderId: order.id });
  }
  if (order.cancellation?.id === request.cancelId) {
    return { order, events: [], cancel: order.cancellation };
  }
  assertOrderState(order, ['acknowledged', 'inProgress', 'held'], 'cancel');
  if (order.cancellation) {
    throw new DomainError('INVALID_STATE_TRANSITION', 'The order is already being cancelled', {
      orderId: order.id,
      cancelId: order.cancellation.id,
    });
  }
  if (isPastPointOfNoReturn(order)) {
    throw new DomainError('POINT_OF_NO_RETURN', 'Billing has started or an activation cannot be undone', {
      orderId: order.id,
    });
  }
  const compensations = planCompensation(order);
  const direct = compensations.length === 0;
  const cancel: CancelProductOrder = {
    id: request.cancelId,
    orderId: order.id,
    channelId: order.channelId,
    cancellationReason: request.cancellationReason,
    reasonVisibility: visibilityOfWriter(ctx.actor),
    state: direct ? 'done' : 'inProgress',
    requestedCancellationDate: request.requestedCancellationDate ?? ctx.now,
    requestedBy: ctx.actor.principalId,
    ...(direct ? { effectiveCancellationDate: ctx.now } : {}),
  };
  const { fallout, ...withoutFallout } = order;
  const after: ProductOrder = {
    ...withoutFallout,
    state: direct ? 'cancelled' : 'pendingCancellation',
    updatedAt: ctx.now,
    cancellation: cancel,
    falloutHistory: fallout
      ? [...order.falloutHistory, { ...fallout, resolvedAt: ctx.now, resolution: 'order cancelled' }]
      : order.falloutHistory,
    tasks: [
      // Compensations a revision planned stay: their forward work is undone either way.
      ...order.tasks.map((t) =>
        t.compensationOf === undefined && (t.state === 'PENDING' || t.state === 'FAILED')
          ? { ...t, state: 'CANCELLED' as const }
          : t,
      ),
      ...compensations,
    ],
  };
  return {
    order: after,
    cancel,
    events: [cancellationEvent('CancelProductOrderCreateEvent', cancel), ...changeEvents(order, after)],
  };
};

/** Called when nextStep answers CANCELLED: every compensation is done or moot. */
export const completeCancellation = (order: ProductOrder, ctx: CommandContext): OrderCommandResult => {
  if (order.state === 'cancelled') return { order, events: [] };
  assertOrderState(order, ['pendingCancellation'], 'complete the cancellation of');
  const open = order.tasks.filter((t) => t.state !== 'DONE' && t.state !== 'CANCELLED');
  if (open.length > 0 || !order.cancellation) {
    throw new DomainError('INVALID_STATE_TRANSITION', 'Compensation is not finished', {
      orderId: order.id,
      open: open.map((t) => t.id),
    });
  }
  const cancel: CancelProductOrder = {
    ...order.cancellation,
    state: 'done',
    effectiveCancellationDate: ctx.now,
  };
  const after: ProductOrder = { ...order, state: 'cancelled', updatedAt: ctx.now, cancellation: cancel };
  return {
    order: after,
    events: [...changeEvents(order, after), cancellationEvent('CancelProductOrderStateChangeEvent', cancel)],
  };
};
