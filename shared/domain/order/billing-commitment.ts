import { contractTermOf, productIdOf } from '#domain/inventory/product';
import type { OrderItemAction, ProductOrder, ProductOrderItem } from '#domain/order/product-order';

/** What billing does with one item: open, change, suspend, resume or terminate a subscription. */
export type BillingAction = 'subscribe' | 'change' | 'suspend' | 'resume' | 'terminate';

const billingActionOf: Record<OrderItemAction, BillingAction> = {
  add: 'subscribe',
  modify: 'change',
  suspend: 'suspend',
  resume: 'resume',
  delete: 'terminate',
};

/** One charge (minor units). */
export type Charge = { name: string; amount: number };

/**
 * The accepted commercial commitment of one item, per action: the charges billing starts, changes
 * or stops, the discount and how long it runs, the contract term and the dates billing counts from.
 */
export type BillingCommitment = {
  action: BillingAction;
  /** The product instance the subscription bills: the one a change names, else the one the item installs. */
  productId: string;
  oneTime: Charge[];
  /** The monthly charge after the action (0 once suspended or terminated). */
  recurring: { amount: number; period: 'month'; delta: number };
  /** The recurring discount runs for the contract term (or indefinitely without one). */
  discount: { percent: number; amountRecurring: number; durationMonths: number | null };
  contractTermMonths: number | null;
  /** The requested start, else the order date; the installed product records the actual activation. */
  activationDate: string;
  billingStartDate: string;
};

const recurringAfter = (item: ProductOrderItem): number =>
  item.action === 'suspend' || item.action === 'delete' ? 0 : item.price.netRecurring;

const oneTimeCharges = (item: ProductOrderItem): Charge[] => {
  if (!item.change)
    return item.price.netOneTime > 0 ? [{ name: 'installation', amount: item.price.netOneTime }] : [];
  const charges: Charge[] = [];
  if (item.change.delta.oneTime > 0) charges.push({ name: 'change', amount: item.change.delta.oneTime });
  if (item.change.earlyTerminationCharge > 0)
    charges.push({ name: 'earlyTermination', amount: item.change.earlyTerminationCharge });
  return charges;
};

export const billingCommitmentOf = (order: ProductOrder, item: ProductOrderItem): BillingCommitment => {
  const term = contractTermOf(item.options) ?? null;
  const start = order.requestedStartDate ?? order.orderDate;
  const recurring = recurringAfter(item);
  return {
    action: billingActionOf[item.action],
    productId: item.change?.productId ?? productIdOf(order.id, item.id),
    oneTime: oneTimeCharges(item),
    recurring: {
      amount: recurring,
      period: 'month',
      delta: item.change ? recurring - item.change.installed.price.netRecurring : recurring,
    },
    discount: {
      percent: item.price.discountPercent,
      amountRecurring: item.price.listRecurring - item.price.netRecurring,
      durationMonths: item.price.discountPercent > 0 ? term : null,
    },
    contractTermMonths: term,
    activationDate: start,
    billingStartDate: start,
  };
};
