import { type BillingHandoff, billingHandoffParts } from '#domain/order/billing-handoff';
import { taskCorrelationId } from '#domain/order/correlation';
import {
  type Downstream,
  type ForwardTaskType,
  ORDER_LEVEL_ITEM,
  ownerTeamOf,
  type PlannedTask,
} from '#domain/order/fulfillment-task';
import type { OrderItemAction, ProductOrder, ProductOrderItem } from '#domain/order/product-order';
import { type GraphProblem, validateTaskGraph } from '#domain/order/task-graph';

type TaskTemplate = {
  type: ForwardTaskType;
  downstream: Downstream;
  /** Earlier tasks of the same item. */
  after?: ForwardTaskType[];
  /** Activation of another item on the same order, by the offering that satisfies the requirement. */
  requires?: Record<string, ForwardTaskType>;
};

/** `offeringId` ANY_OFFERING: the rule applies to every offering (changes of installed products). */
export type DecompositionRule = { offeringId: string; action: OrderItemAction; tasks: TaskTemplate[] };

export const ANY_OFFERING = '*';

/** A change of an installed product is one provisioning task on the service it changes. */
const changeRule = (action: OrderItemAction, type: ForwardTaskType): DecompositionRule => ({
  offeringId: ANY_OFFERING,
  action,
  tasks: [{ type, downstream: 'provisioning' }],
});

export type DecompositionRuleSet = { ruleVersion: string; rules: DecompositionRule[] };

export const decompositionRules: DecompositionRuleSet = {
  ruleVersion: 'decomp-2026.11.0',
  rules: [
    {
      offeringId: 'off-fiber-1g',
      action: 'add',
      tasks: [
        { type: 'ACCESS_PROVISION', downstream: 'provisioning' },
        { type: 'SERVICE_ACTIVATION', downstream: 'provisioning', after: ['ACCESS_PROVISION'] },
      ],
    },
    {
      offeringId: 'off-sdwan',
      action: 'add',
      tasks: [{ type: 'SDWAN_ACTIVATION', downstream: 'provisioning' }],
    },
    {
      offeringId: 'off-security',
      action: 'add',
      tasks: [
        {
          type: 'SECURITY_ACTIVATION',
          downstream: 'provisioning',
          requires: { 'off-fiber-1g': 'SERVICE_ACTIVATION', 'off-sdwan': 'SDWAN_ACTIVATION' },
        },
      ],
    },
    {
      offeringId: 'off-static-ip',
      action: 'add',
      tasks: [
        {
          type: 'IP_BLOCK_ASSIGN',
          downstream: 'provisioning',
          requires: { 'off-fiber-1g': 'SERVICE_ACTIVATION' },
        },
      ],
    },
    changeRule('modify', 'SERVICE_CHANGE'),
    changeRule('suspend', 'SERVICE_SUSPEND'),
    changeRule('resume', 'SERVICE_RESUME'),
    changeRule('delete', 'SERVICE_DISCONNECT'),
  ],
};

export const BILLING_HANDOFF_TASK_ID = 'BILLING_HANDOFF';

/** The task of part `number` of the billing handoff: the first keeps the one handoff's id. */
export const billingHandoffTaskId = (number: number): string =>
  number <= 1 ? BILLING_HANDOFF_TASK_ID : `${BILLING_HANDOFF_TASK_ID}-${number}`;

export type DecompositionFailure = {
  reason: 'NO_RULE' | 'REQUIRED_ITEM_MISSING' | 'INVALID_GRAPH';
  orderItemId?: string;
  offeringId?: string;
  problems?: GraphProblem[];
};

export type DecompositionResult =
  | { ok: true; ruleVersion: string; tasks: PlannedTask[] }
  | { ok: false; ruleVersion: string; failure: DecompositionFailure };

const taskId = (orderItemId: string, type: ForwardTaskType) => `${orderItemId}-${type}`;

const provisioningPayload = (order: ProductOrder, item: ProductOrderItem) => ({
  orderId: order.id,
  accountId: order.accountId,
  orderItemId: item.id,
  offeringId: item.offeringId,
  quantity: item.quantity,
  options: { ...item.options },
  ...(item.change ? { productId: item.change.productId } : {}),
});

type Draft = Omit<PlannedTask, 'correlationId' | 'ownerTeam' | 'ruleVersion'>;

/**
 * The activation an item waits for: per required offering, one item that provides it, the one at
 * the same customer reference (site) when there is one, else the first. One dependency per
 * requirement keeps the plan linear in the number of items: a static IP on an order of 100 fibers
 * waits for its own access, not for all 100.
 */
const requiredActivations = (
  byOffering: ReadonlyMap<string, ProductOrderItem[]>,
  item: ProductOrderItem,
  requires: Record<string, ForwardTaskType>,
): string[] =>
  Object.entries(requires).flatMap(([offeringId, type]) => {
    const providers = byOffering.get(offeringId) ?? [];
    const provider =
      providers.find(
        (other) => item.customerReference && other.customerReference === item.customerReference,
      ) ?? providers[0];
    return provider ? [taskId(provider.id, type)] : [];
  });

const partNumber = (task: Draft): number => (task.payload as BillingHandoff).part?.number ?? 1;

/** A handoff part's task, placed in `drafts` now; its dependencies are set once the plan is whole. */
const handoffTask = (part: BillingHandoff, drafts: Draft[]): Draft => {
  const task: Draft = {
    id: billingHandoffTaskId(part.part?.number ?? 1),
    orderItemId: ORDER_LEVEL_ITEM,
    action: 'add',
    type: 'BILLING_HANDOFF',
    downstream: 'billing',
    dependsOn: [],
    payload: part,
  };
  drafts.push(task);
  return task;
};

/**
 * Turns commercial order items into the fulfillment plan under one rule version. Failure is a
 * value, not an exception: the caller turns it into controlled fallout.
 */
export const decomposeOrder = (
  order: ProductOrder,
  ruleSet: DecompositionRuleSet = decompositionRules,
): DecompositionResult => {
  const { ruleVersion } = ruleSet;
  const drafts: Draft[] = [];
  const parts = billingHandoffParts(order);
  // Where each handoff part goes in the plan: after the tasks of its last item, so no page of the
  // order holds two parts (a part is ≈ 67 KB, a page holds 32 tasks; see order-pages.ts).
  const partAfterItem = new Map(
    parts.length > 1 ? parts.map((part, i) => [part.items.at(-1)?.orderItemId ?? '', i] as const) : [],
  );
  const partTasks: Draft[] = [];
  // Providers are the items this order installs: a changed product gets no activation task to wait for.
  const byOffering = Map.groupBy(
    order.items.filter((item) => item.action === 'add'),
    (item) => item.offeringId,
  );
  for (const item of order.items) {
    const rule = ruleSet.rules.find(
      (r) => (r.offeringId === item.offeringId || r.offeringId === ANY_OFFERING) && r.action === item.action,
    );
    if (!rule) {
      return {
        ok: false,
        ruleVersion,
        failure: { reason: 'NO_RULE', orderItemId: item.id, offeringId: item.offeringId },
      };
    }
    for (const template of rule.tasks) {
      const dependsOn = (template.after ?? []).map((t) => taskId(item.id, t));
      if (template.requires) {
        const required = requiredActivations(byOffering, item, template.requires);
        if (required.length === 0) {
          return {
            ok: false,
            ruleVersion,
            failure: { reason: 'REQUIRED_ITEM_MISSING', orderItemId: item.id, offeringId: item.offeringId },
          };
        }
        dependsOn.push(...required);
      }
      drafts.push({
        id: taskId(item.id, template.type),
        orderItemId: item.id,
        action: item.action,
        type: template.type,
        downstream: template.downstream,
        dependsOn,
        payload: provisioningPayload(order, item),
      });
    }
    const part = partAfterItem.get(item.id);
    if (part !== undefined) partTasks.push(handoffTask(parts[part]!, drafts));
  }
  if (parts.length === 1) partTasks.push(handoffTask(parts[0]!, drafts));
  // Billing starts once every item is provisioned: the first part waits for every provisioning
  // task, each later part for the one before it (a linear plan, parts acknowledged in order).
  const provisioning = drafts.filter((d) => d.downstream === 'provisioning').map((d) => d.id);
  for (const task of partTasks)
    task.dependsOn =
      task.id === BILLING_HANDOFF_TASK_ID ? provisioning : [billingHandoffTaskId(partNumber(task) - 1)];
  const problems = validateTaskGraph(drafts);
  if (problems.length > 0) return { ok: false, ruleVersion, failure: { reason: 'INVALID_GRAPH', problems } };
  return {
    ok: true,
    ruleVersion,
    tasks: drafts.map((d) => ({
      ...d,
      ruleVersion,
      correlationId: taskCorrelationId(order.id, d.id),
      ownerTeam: ownerTeamOf(d.downstream),
    })),
  };
};
