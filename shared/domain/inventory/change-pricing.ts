import type { ChangeRequest } from '#domain/inventory/change-request';
import type { LineChange, PriceDelta } from '#domain/inventory/line-change';
import type { CommittedPrice } from '#domain/inventory/price';
import { addMonths } from '#domain/inventory/product';

/** Share of the remaining recurring charges a customer pays when it disconnects before its term ends. */
export const EARLY_TERMINATION_RATE = 0.5;
/** Longest term counted; keeps the month count bounded whatever a stored date says. */
const MAX_MONTHS = 1200;

/**
 * Calendar months of the contract still to run at `at`, a started month counted whole: 0 once it
 * has ended or without a term. The term ends `term` calendar months after activation (addMonths).
 */
export const remainingMonths = (contractEndDate: string | undefined, at: string): number => {
  if (!contractEndDate) return 0;
  const end = Date.parse(contractEndDate);
  let months = 0;
  while (months < MAX_MONTHS && Date.parse(addMonths(at, months)) < end) months++;
  return months;
};

/**
 * The early-termination charge of a `delete` before the contract term ends: half of the recurring
 * charges still to run (minor units, rounded half up). Zero after the term.
 */
export const earlyTerminationCharge = (
  installed: { price: Pick<CommittedPrice, 'netRecurring'>; contractEndDate?: string },
  at: string,
): number =>
  Math.round(
    remainingMonths(installed.contractEndDate, at) * installed.price.netRecurring * EARLY_TERMINATION_RATE,
  );

/**
 * The price of a change relative to the installed product: a modify pays the recurring difference
 * (no new installation), suspend and resume change nothing in price, a delete stops the recurring
 * charge and owes the early-termination charge (at `at`, the acceptance of the change).
 */
export const changeTermsOf = (request: ChangeRequest, target: CommittedPrice, at: string): LineChange => {
  const installed = request.installed.price;
  const delta: PriceDelta =
    request.action === 'modify'
      ? { oneTime: 0, recurring: target.netRecurring - installed.netRecurring }
      : request.action === 'delete'
        ? { oneTime: 0, recurring: -installed.netRecurring }
        : { oneTime: 0, recurring: 0 };
  return {
    ...request,
    delta,
    earlyTerminationCharge: request.action === 'delete' ? earlyTerminationCharge(request.installed, at) : 0,
  };
};
