import { type Audience, readableBy } from '#domain/access/visibility';
import { tmfMoney } from '#domain/money';
import type { CancelProductOrder, ProductOrder, ProductOrderItem } from '#domain/order/product-order';
import { lineReferencesOf } from '#domain/quote/line-references';

/** TMF622 ProductOrderItemStateType values. */
export type ProductOrderItemState =
  | 'acknowledged'
  | 'rejected'
  | 'pending'
  | 'held'
  | 'inProgress'
  | 'cancelled'
  | 'completed'
  | 'failed'
  | 'pendingCancellation';

export const ORDERING_PATH = '/tmf-api/productOrderingManagement/v4';

export const itemState = (order: ProductOrder, itemId: string): ProductOrderItemState => {
  switch (order.state) {
    case 'acknowledged':
    case 'completed':
    case 'cancelled':
    case 'pendingCancellation':
    case 'rejected':
    case 'failed':
      return order.state;
    case 'held':
      if (
        order.fallout &&
        order.tasks.some((t) => t.id === order.fallout?.taskId && t.orderItemId !== itemId)
      ) {
        return 'inProgress';
      }
      return 'held';
    default: {
      const tasks = order.tasks.filter((t) => t.orderItemId === itemId && t.compensationOf === undefined);
      if (tasks.length > 0 && tasks.every((t) => t.state === 'DONE')) return 'completed';
      return tasks.some((t) => t.state !== 'PENDING') ? 'inProgress' : 'acknowledged';
    }
  }
};

const itemPrice = (item: ProductOrderItem, currency: string) => [
  {
    name: 'Recurring charge',
    priceType: 'recurring',
    recurringChargePeriod: 'month',
    price: { dutyFreeAmount: tmfMoney(item.price.netRecurring, currency) },
    priceAlteration: [
      {
        name: 'Quote discount',
        priceType: 'recurring',
        recurringChargePeriod: 'month',
        price: {
          percentage: item.price.discountPercent,
          dutyFreeAmount: tmfMoney(item.price.listRecurring - item.price.netRecurring, currency),
        },
      },
    ],
  },
  {
    name: 'One-time charge',
    priceType: 'oneTime',
    price: { dutyFreeAmount: tmfMoney(item.price.netOneTime, currency) },
    priceAlteration: [
      {
        name: 'Quote discount',
        priceType: 'oneTime',
        price: {
          percentage: item.price.discountPercent,
          dutyFreeAmount: tmfMoney(item.price.listOneTime - item.price.netOneTime, currency),
        },
      },
    ],
  },
];

const orderTotalPrice = (order: ProductOrder) => {
  const sum = (pick: (i: ProductOrderItem) => number) => order.items.reduce((acc, i) => acc + pick(i), 0);
  return [
    {
      name: 'Total recurring charge',
      priceType: 'recurring',
      recurringChargePeriod: 'month',
      price: {
        dutyFreeAmount: tmfMoney(
          sum((i) => i.price.netRecurring),
          order.currency,
        ),
      },
    },
    {
      name: 'Total one-time charge',
      priceType: 'oneTime',
      price: {
        dutyFreeAmount: tmfMoney(
          sum((i) => i.price.netOneTime),
          order.currency,
        ),
      },
    },
  ];
};

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const notesFor = (audience: Audience, notes: ProductOrder['notes']) => {
  const readable = (notes ?? []).filter((n) => readableBy(audience, n.visibility));
  if (readable.length === 0) return undefined;
  return audience === 'internal' ? readable : readable.map(({ visibility: _v, ...note }) => note);
};

const reasonFor = (audience: Audience, cancel: CancelProductOrder | undefined) =>
  cancel && readableBy(audience, cancel.reasonVisibility) ? cancel.cancellationReason : undefined;

/** A partner reads the alert without the owner team and next action: those are ops' worklist. */
const alertsFor = (audience: Audience, alerts: ProductOrder['jeopardyAlerts']) =>
  audience === 'internal' ? alerts : alerts?.map(({ owner: _o, nextAction: _n, ...alert }) => alert);

/**
 * TMF622 v4 ProductOrder; extension fields carry the versions the commitment was priced on. A
 * partner's resource is built from partner fields only (see `Audience`).
 */
export const toProductOrderResource = (
  order: ProductOrder,
  baseUrl: string,
  audience: Audience,
): Record<string, unknown> => ({
  id: order.id,
  href: `${baseUrl}${ORDERING_PATH}/productOrder/${order.id}`,
  '@type': 'ProductOrder',
  state: order.state,
  orderDate: order.orderDate,
  ...optional('completionDate', order.completionDate),
  ...optional('expectedCompletionDate', expectedCompletionOfOrder(order)),
  ...optional('externalId', order.externalId),
  ...optional('requestedCompletionDate', order.requestedCompletionDate),
  ...optional('requestedStartDate', order.requestedStartDate),
  ...optional('description', order.description),
  ...optional('priority', order.priority),
  ...optional('category', order.category),
  ...optional('notificationContact', order.notificationContact),
  ...optional('relatedParty', order.relatedParty),
  ...optional('note', notesFor(audience, order.notes)),
  ...optional('cancellationDate', order.cancellation?.effectiveCancellationDate),
  ...optional('cancellationReason', reasonFor(audience, order.cancellation)),
  quote: [{ id: order.quoteId, '@referredType': 'Quote' }],
  billingAccount: { id: order.billingAccountId, '@referredType': 'BillingAccount' },
  channel: [{ id: order.channelId, role: 'salesChannel', '@referredType': 'SalesChannel' }],
  productOrderItem: order.items.map((item) => ({
    id: item.id,
    action: item.action,
    state: itemState(order, item.id),
    quantity: item.quantity,
    ...lineReferencesOf(item),
    quoteItem: { id: item.quoteItemId, quoteId: order.quoteId, '@referredType': 'QuoteItem' },
    productOffering: { id: item.offeringId, '@referredType': 'ProductOffering' },
    product: {
      ...(item.change ? { id: item.change.productId, '@referredType': 'Product' } : {}),
      productCharacteristic: Object.entries(item.options).map(([name, value]) => ({
        name,
        value,
        valueType: typeof value,
      })),
    },
    itemPrice: itemPrice(item, order.currency),
    ...optional('expectedCompletionDate', item.expectedCompletionDate),
    '@type': 'ProductOrderItem',
  })),
  orderTotalPrice: orderTotalPrice(order),
  catalogVersion: order.catalogVersion,
  priceBookVersion: order.priceBookVersion,
  // The last revision applied to the order in flight (absent: the order as created).
  ...optional('revision', order.revision),
  // TMF622 v5 jeopardyAlert (v4 has none), with the owner and next action.
  ...(order.jeopardyAlerts?.length ? { jeopardyAlert: alertsFor(audience, order.jeopardyAlerts) } : {}),
});

/** The order is expected complete when its last item is. */
const expectedCompletionOfOrder = (order: ProductOrder): string | undefined =>
  order.items
    .map((i) => i.expectedCompletionDate)
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);

export const toCancelProductOrderResource = (
  cancel: CancelProductOrder,
  baseUrl: string,
  audience: Audience,
): Record<string, unknown> => ({
  id: cancel.id,
  href: `${baseUrl}${ORDERING_PATH}/cancelProductOrder/${cancel.id}`,
  '@type': 'CancelProductOrder',
  state: cancel.state,
  ...optional('cancellationReason', reasonFor(audience, cancel)),
  requestedCancellationDate: cancel.requestedCancellationDate,
  ...optional('effectiveCancellationDate', cancel.effectiveCancellationDate),
  productOrder: {
    id: cancel.orderId,
    href: `${baseUrl}${ORDERING_PATH}/productOrder/${cancel.orderId}`,
    '@referredType': 'ProductOrder',
  },
});
