import type { Minor } from '#domain/money';
import type { TaskType } from '#domain/order/fulfillment-task';

/** A configured option value as it travels in quote lines: enum members may be strings or numbers. */
export type OptionValue = string | number;

export type OptionDomain =
  | { kind: 'enum'; values: OptionValue[]; default?: OptionValue }
  | { kind: 'integerRange'; min: number; max: number; default?: number };

export type OfferingOption = {
  name: string;
  required: boolean;
  domain: OptionDomain;
};

/** Any one of `anyOf` must be on the same quote. */
export type RequiresConstraint = { anyOf: string[] };

export type OneTimeOverride = { option: string; value: OptionValue; oneTimeMinor: Minor };

/**
 * List prices of one charge unit. The charge quantity of a line is its quantity, multiplied by the
 * value of the `perUnitOf` option when set (SD-WAN is priced per site).
 */
export type ListPrice = {
  monthlyRecurringMinor: Minor;
  oneTimeMinor: Minor;
  perUnitOf?: string;
  /** First matching override (array order) replaces `oneTimeMinor`. */
  oneTimeOverrides?: OneTimeOverride[];
};

export type Offering = {
  id: string;
  name: string;
  family: string;
  options: OfferingOption[];
  requires?: RequiresConstraint[];
  listPrice: ListPrice;
  /** Internal: monthly cost of one charge unit, for margin. Never shown to partners. */
  monthlyCostMinor?: Minor;
  /** How long fulfillment of one item takes; an order item's expected completion (jeopardy). */
  fulfillmentLeadTimeSeconds?: number;
};

/** An immutable, versioned catalog release with its price book. */
export type CatalogRelease = {
  catalogVersion: string;
  priceBookVersion: string;
  effectiveFrom: string;
  currency: string;
  offerings: Offering[];
  /**
   * How long the downstream work of a task type takes (fiber access days, activations minutes):
   * expected duration, heartbeat (silence past it → query) and hard limit (→ fallout), in seconds.
   */
  taskTimers?: Partial<
    Record<TaskType, { expectedSeconds: number; heartbeatSeconds: number; hardLimitSeconds: number }>
  >;
};

export const findOffering = (release: CatalogRelease, offeringId: string): Offering | undefined =>
  release.offerings.find((o) => o.id === offeringId);

/** Each offering's name (what an order shows of its items). */
export const productNamesOf = (release: CatalogRelease | undefined): Record<string, string> =>
  Object.fromEntries((release?.offerings ?? []).map((o) => [o.id, o.name]));
