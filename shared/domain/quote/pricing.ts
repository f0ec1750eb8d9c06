import {
  type CatalogRelease,
  findOffering,
  type Offering,
  type OptionValue,
} from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { discountAmount, extend, type Minor, percentFromBasisPoints, sumMinor } from '#domain/money';
import { POLICY_VERSION, priceRelevantLines } from '#domain/quote/approval-policy';
import { canonicalHash } from '#domain/quote/canonical-hash';

/** Every input that can move a price. */
export type PricingLine = {
  lineId: string;
  offeringId: string;
  quantity: number;
  options: Record<string, OptionValue>;
  discountBasisPoints: number;
};

export type PricingInput = { currency: string; lines: PricingLine[] };

/**
 * One line's waterfall. The line discount applies to the monthly recurring charge only: one-time
 * charges (installation) are cost recovery and are never discounted, so `discountOneTime` is 0
 * and kept explicit for billing. One-time and recurring never mix.
 */
export type LineWaterfall = {
  lineId: string;
  offeringId: string;
  chargeQuantity: number;
  unitListOneTime: Minor;
  unitListRecurring: Minor;
  listOneTime: Minor;
  listRecurring: Minor;
  discountPercent: number;
  discountOneTime: Minor;
  discountRecurring: Minor;
  netOneTime: Minor;
  netRecurring: Minor;
  /** Internal: net recurring minus cost; absent when the catalog has no cost. */
  marginRecurring?: Minor;
};

export type PriceTotals = {
  listOneTime: Minor;
  listRecurring: Minor;
  discountOneTime: Minor;
  discountRecurring: Minor;
  netOneTime: Minor;
  netRecurring: Minor;
  marginRecurring?: Minor;
};

export type CalculationStep = { step: string; lineId?: string; detail: string };

/** Immutable and free of time, so the same inputs give byte-identical JSON. */
export type PriceSnapshot = {
  currency: string;
  catalogVersion: string;
  priceBookVersion: string;
  policyVersion: string;
  inputHash: string;
  lines: LineWaterfall[];
  totals: PriceTotals;
  trace: CalculationStep[];
};

export function pricingInputHash(input: PricingInput, release: CatalogRelease): string {
  return canonicalHash({
    currency: input.currency,
    catalogVersion: release.catalogVersion,
    priceBookVersion: release.priceBookVersion,
    policyVersion: POLICY_VERSION,
    lines: priceRelevantLines(input.lines),
  });
}

export function priceSnapshot(input: PricingInput, release: CatalogRelease): PriceSnapshot {
  if (input.currency !== release.currency) {
    throw new DomainError(
      'CATALOG_INCOMPATIBLE',
      `quote currency ${input.currency} is not ${release.currency}`,
      {
        currency: input.currency,
        priceBookVersion: release.priceBookVersion,
      },
    );
  }
  const trace: CalculationStep[] = [];
  const lines = input.lines.map((line) => priceLine(line, release, trace));
  const totals = totalsOf(lines);
  trace.push({
    step: 'TOTALS',
    detail: `net one-time ${totals.netOneTime}, net monthly ${totals.netRecurring} (sum of lines, no rounding)`,
  });
  return {
    currency: input.currency,
    catalogVersion: release.catalogVersion,
    priceBookVersion: release.priceBookVersion,
    policyVersion: POLICY_VERSION,
    inputHash: pricingInputHash(input, release),
    lines,
    totals,
    trace,
  };
}

function priceLine(line: PricingLine, release: CatalogRelease, trace: CalculationStep[]): LineWaterfall {
  const offering = findOffering(release, line.offeringId);
  if (!offering) {
    throw new DomainError('INVALID_CONFIGURATION', `offering ${line.offeringId} has no price`, {
      lineId: line.lineId,
      rule: 'OFFERING_EXISTS',
    });
  }
  const { lineId } = line;
  const chargeQuantity = chargeQuantityOf(offering, line);
  const unitListRecurring = offering.listPrice.monthlyRecurringMinor;
  const override = (offering.listPrice.oneTimeOverrides ?? []).find(
    (o) => String(line.options[o.option]) === String(o.value),
  );
  const unitListOneTime = override ? override.oneTimeMinor : offering.listPrice.oneTimeMinor;
  trace.push({
    step: 'LIST_PRICE',
    lineId,
    detail:
      `${offering.id} x ${chargeQuantity}: monthly ${unitListRecurring}, one-time ${unitListOneTime}` +
      (override ? ` (${override.option}=${override.value})` : ''),
  });
  const listRecurring = extend(unitListRecurring, chargeQuantity);
  const listOneTime = extend(unitListOneTime, chargeQuantity);
  const discountRecurring = discountAmount(listRecurring, line.discountBasisPoints);
  const discountPercent = percentFromBasisPoints(line.discountBasisPoints);
  trace.push({
    step: 'DISCOUNT',
    lineId,
    detail: `${discountPercent}% of monthly ${listRecurring} = ${discountRecurring} (half-up); one-time not discounted`,
  });
  const netRecurring = listRecurring - discountRecurring;
  const waterfall: LineWaterfall = {
    lineId,
    offeringId: offering.id,
    chargeQuantity,
    unitListOneTime,
    unitListRecurring,
    listOneTime,
    listRecurring,
    discountPercent,
    discountOneTime: 0,
    discountRecurring,
    netOneTime: listOneTime,
    netRecurring,
  };
  if (offering.monthlyCostMinor !== undefined) {
    waterfall.marginRecurring = netRecurring - extend(offering.monthlyCostMinor, chargeQuantity);
  }
  trace.push({ step: 'NET', lineId, detail: `net one-time ${listOneTime}, net monthly ${netRecurring}` });
  return waterfall;
}

/** Line quantity, times the per-unit option (SD-WAN sites) when the price book says so. */
export function chargeQuantityOf(
  offering: Offering,
  line: Pick<PricingLine, 'quantity' | 'options'>,
): number {
  const unitOption = offering.listPrice.perUnitOf;
  if (unitOption === undefined) return line.quantity;
  const units = line.options[unitOption];
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) {
    throw new DomainError('INVALID_CONFIGURATION', `option ${unitOption} must be a positive integer`, {
      rule: 'OPTION_IN_DOMAIN',
      option: unitOption,
    });
  }
  return line.quantity * units;
}

function totalsOf(lines: LineWaterfall[]): PriceTotals {
  const total = (pick: (l: LineWaterfall) => Minor) => sumMinor(lines.map(pick));
  const totals: PriceTotals = {
    listOneTime: total((l) => l.listOneTime),
    listRecurring: total((l) => l.listRecurring),
    discountOneTime: total((l) => l.discountOneTime),
    discountRecurring: total((l) => l.discountRecurring),
    netOneTime: total((l) => l.netOneTime),
    netRecurring: total((l) => l.netRecurring),
  };
  if (lines.length > 0 && lines.every((l) => l.marginRecurring !== undefined)) {
    totals.marginRecurring = total((l) => l.marginRecurring ?? 0);
  }
  return totals;
}
