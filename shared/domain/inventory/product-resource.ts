import type { InstalledProduct } from '#domain/inventory/product';
import { tmfMoney } from '#domain/money';
import { ORDERING_PATH } from '#domain/order/product-order-resource';

export const INVENTORY_PATH = '/tmf-api/productInventory/v4';

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** TMF637 v4 Product; extension fields carry the contract and the lineage the installed base keeps. */
export const toProductResource = (product: InstalledProduct, baseUrl: string): Record<string, unknown> => ({
  id: product.id,
  href: `${baseUrl}${INVENTORY_PATH}/product/${product.id}`,
  '@type': 'Product',
  name: product.offeringId,
  status: product.status,
  isBundle: false,
  isCustomerVisible: true,
  quantity: product.quantity,
  startDate: product.startDate,
  ...optional('terminationDate', product.terminationDate),
  productOffering: { id: product.offeringId, '@referredType': 'ProductOffering' },
  productCharacteristic: Object.entries(product.characteristics).map(([name, value]) => ({
    name,
    value,
    valueType: typeof value,
  })),
  productPrice: [
    {
      name: 'Recurring charge',
      priceType: 'recurring',
      recurringChargePeriod: 'month',
      price: { dutyFreeAmount: tmfMoney(product.price.netRecurring, product.currency) },
    },
    {
      name: 'One-time charge',
      priceType: 'oneTime',
      price: { dutyFreeAmount: tmfMoney(product.price.netOneTime, product.currency) },
    },
  ],
  relatedParty: [{ id: product.accountId, role: 'Customer', '@referredType': 'Customer' }],
  billingAccount: { id: product.billingAccountId, '@referredType': 'BillingAccount' },
  productOrderItem: product.changes.map((change) => ({
    orderItemId: change.orderItemId,
    orderItemAction: change.action,
    productOrderId: change.orderId,
    productOrderHref: `${baseUrl}${ORDERING_PATH}/productOrder/${change.orderId}`,
    '@referredType': 'ProductOrderItem',
  })),
  ...optional('contractTermMonths', product.contractTermMonths),
  ...optional('contractEndDate', product.contractEndDate),
  ...optional('activationDate', product.activationDate),
  ...optional('billingStartDate', product.billingStartDate),
  ...optional('pendingProductOrderId', product.pendingOrderId),
  lineage: product.lineage,
  channel: [{ id: product.channelId, role: 'salesChannel', '@referredType': 'SalesChannel' }],
});
