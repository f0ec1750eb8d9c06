import type { CommittedPrice } from '#domain/inventory/price';
import type { ProductStatus } from '#domain/inventory/product-status';

/** Where an installed product came from, and each order that changed it since. */
export type ProductLineage = {
  quoteId: string;
  /** The accepted quote revision: the hash of the accepted price snapshot. */
  quoteRevision: string;
  quoteItemId: string;
  orderId: string;
  orderItemId: string;
  /** The downstream references of the tasks that fulfilled the item (evidence records). */
  evidence: { taskId: string; downstreamRef: string }[];
};

export type ProductChange = ProductLineage & { action: string; at: string; status: ProductStatus };

/**
 * One product instance of the installed base (TMF637 Product). Written by the order aggregate's
 * completing step in the same transaction, never by a projection.
 */
export type InstalledProduct = {
  id: string;
  /** Owned by the repository. */
  version: number;
  channelId: string;
  accountId: string;
  billingAccountId: string;
  offeringId: string;
  productFamily?: string;
  status: ProductStatus;
  quantity: number;
  characteristics: Record<string, string | number>;
  currency: string;
  /** The accepted prices of its current configuration (minor units, line totals). */
  price: CommittedPrice;
  /** Months; absent when the offering has no term. */
  contractTermMonths?: number;
  startDate: string;
  activationDate?: string;
  billingStartDate?: string;
  contractEndDate?: string;
  terminationDate?: string;
  /** The order changing this product right now: one change in flight at a time. */
  pendingOrderId?: string;
  lineage: ProductLineage;
  /** Every completed order item that changed it, oldest first (append-only). */
  changes: ProductChange[];
  updatedAt: string;
};

/** Product ids derive from the order item that created them: a replayed completion writes the same id. */
export const productIdOf = (orderId: string, orderItemId: string): string =>
  `prd-${orderId.replace(/^po-/, '')}-${orderItemId}`;

/** The contract term of a configuration: the `term` option when the offering has one. */
export const contractTermOf = (options: Record<string, string | number>): number | undefined => {
  const term = Number(options.term);
  return Number.isInteger(term) && term > 0 ? term : undefined;
};

export const addMonths = (iso: string, months: number): string => {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
};
