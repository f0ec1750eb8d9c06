import { mutateAggregate, VersionConflict } from '#adapters/aggregate-store';
import { orderAttributes } from '#adapters/order-repository';
import type { CommandContext } from '#domain/actor';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/** An error whose `name` is what the state machine's Retry / Catch sees. */
export class StepError extends Error {
  constructor(
    override readonly name: 'VersionConflict' | 'RetryBudgetExhausted' | 'InvalidStepInput',
    message: string,
  ) {
    super(message);
  }
}

/** Workflow steps act as the system, not as a person; the audit shows which step did what. */
export const stepContext = (correlationId: string, step: string): CommandContext => ({
  now: new Date().toISOString(),
  actor: { principalId: `system:fulfillment:${step}`, role: 'ops', channelId: 'system' },
  correlationId,
});

export type StepDecision<R> = { change: OrderCommandResult; result: R } | { unchanged: R };

/**
 * One domain command on the order: read, decide, version-conditional write with its events,
 * re-decided on conflict. A conflict that outlasts the retries surfaces as `VersionConflict`.
 */
export const mutateOrder = async <R>(
  orderId: string,
  correlationId: string,
  step: string,
  decide: (order: ProductOrder, ctx: CommandContext) => StepDecision<R>,
): Promise<R> => {
  try {
    return await mutateAggregate<ProductOrder, R>(
      'ORDER',
      orderId,
      (order) => {
        const decision = decide(order, stepContext(correlationId, step));
        if ('unchanged' in decision) return decision;
        if (decision.change.events.length === 0) return { unchanged: decision.result };
        return { aggregate: decision.change.order, events: decision.change.events, result: decision.result };
      },
      { correlationId, now: () => new Date().toISOString(), attributes: orderAttributes },
    );
  } catch (error) {
    if (error instanceof VersionConflict) throw new StepError('VersionConflict', error.message);
    throw error;
  }
};

export const requireString = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value === '') {
    throw new StepError('InvalidStepInput', `Step input needs ${field}`);
  }
  return value;
};
