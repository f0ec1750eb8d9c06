import { type ExtraItem, VersionConflict } from '#adapters/aggregate-store';
import type { TaskPages } from '#adapters/order-pages';
import type { CommandContext } from '#domain/actor';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { changeOrder } from './order-command.ts';

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

export type StepDecision<R> =
  | { change: OrderCommandResult; result: R; extraItems?: ExtraItem[]; changed?: true }
  | { unchanged: R };

/**
 * One workflow step's command on the order, through the order's load-decide-save. A conflict
 * that outlasts the attempt budget surfaces as `VersionConflict` for the state machine's Retry.
 */
export const mutateOrder = async <R>(
  orderId: string,
  correlationId: string,
  step: string,
  decide: (order: ProductOrder, ctx: CommandContext) => StepDecision<R> | Promise<StepDecision<R>>,
  /** A step on one task of a large order: it reads and writes that task's page only (see `changeOrder`). */
  taskPart?: { taskId: string; pages: TaskPages },
): Promise<R> => {
  const ctx = stepContext(correlationId, step);
  try {
    const { result } = await changeOrder({
      orderId,
      ctx,
      asSystem: true,
      ...(taskPart ? { taskPart } : {}),
      decide: async (order) => {
        const decision = await decide(order, ctx);
        return 'unchanged' in decision
          ? { order, events: [], result: decision.unchanged }
          : {
              ...decision.change,
              result: decision.result,
              ...(decision.extraItems ? { extraItems: decision.extraItems } : {}),
              ...(decision.changed ? { changed: decision.changed } : {}),
            };
      },
    });
    return result;
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

/** The task pages a step input names (the NextStep that planned the round found them), if well-formed. */
export const taskPagesIn = (value: unknown): TaskPages | undefined => {
  const pages = value as { taskPage?: unknown; planPage?: unknown; itemPage?: unknown } | undefined;
  const index = (page: unknown) =>
    Number.isInteger(page) && (page as number) >= 0 ? (page as number) : undefined;
  const taskPage = index(pages?.taskPage);
  if (taskPage === undefined) return undefined;
  const planPage = index(pages?.planPage);
  const itemPage = index(pages?.itemPage);
  return {
    taskPage,
    ...(planPage !== undefined ? { planPage } : {}),
    ...(itemPage !== undefined ? { itemPage } : {}),
  };
};
