/** Accepted prices of one line or installed product: minor units, line totals (quantity included). */
export type CommittedPrice = {
  netOneTime: number;
  netRecurring: number;
  listOneTime: number;
  listRecurring: number;
  discountPercent: number;
};
