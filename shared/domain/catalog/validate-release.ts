import type { CatalogRelease, Offering, OfferingOption } from '#domain/catalog/catalog-release';
import { isMinor } from '#domain/money';

/** Every reason the release cannot be published; empty when it can. */
export function validateRelease(release: CatalogRelease, previous?: CatalogRelease): string[] {
  const reasons: string[] = [];
  if (Number.isNaN(Date.parse(release.effectiveFrom))) reasons.push('effectiveFrom is not a date-time');
  if (release.offerings.length === 0) reasons.push('release has no offerings');
  const ids = new Set<string>();
  for (const offering of release.offerings) {
    if (ids.has(offering.id)) reasons.push(`offering ${offering.id} is listed twice`);
    ids.add(offering.id);
  }
  for (const offering of release.offerings) {
    reasons.push(...optionReasons(offering), ...priceReasons(offering));
    for (const constraint of offering.requires ?? []) {
      if (constraint.anyOf.length === 0)
        reasons.push(`${offering.id}: requires constraint names no offering`);
      for (const required of constraint.anyOf) {
        if (!ids.has(required)) reasons.push(`${offering.id}: requires unknown offering ${required}`);
      }
    }
  }
  if (previous) reasons.push(...succession(release, previous));
  return reasons;
}

function optionReasons(offering: Offering): string[] {
  const reasons: string[] = [];
  const names = new Set<string>();
  for (const option of offering.options) {
    const where = `${offering.id}.${option.name}`;
    if (names.has(option.name)) reasons.push(`${where}: option is listed twice`);
    names.add(option.name);
    const domain = option.domain;
    if (domain.kind === 'enum') {
      if (domain.values.length === 0) reasons.push(`${where}: enum domain is empty`);
      if (new Set(domain.values.map(String)).size !== domain.values.length) {
        reasons.push(`${where}: enum domain has duplicate values`);
      }
      if (domain.default !== undefined && !domain.values.some((v) => String(v) === String(domain.default))) {
        reasons.push(`${where}: default is outside the domain`);
      }
    } else {
      if (!Number.isInteger(domain.min) || !Number.isInteger(domain.max)) {
        reasons.push(`${where}: range bounds must be integers`);
      }
      if (domain.min > domain.max) reasons.push(`${where}: min is greater than max`);
      if (domain.default !== undefined && (domain.default < domain.min || domain.default > domain.max)) {
        reasons.push(`${where}: default is outside the domain`);
      }
    }
  }
  return reasons;
}

function priceReasons(offering: Offering): string[] {
  const reasons: string[] = [];
  const price = offering.listPrice;
  if (!price) return [`${offering.id}: has no list price`];
  if (!isMinor(price.monthlyRecurringMinor))
    reasons.push(`${offering.id}: monthly price is not a minor amount`);
  if (!isMinor(price.oneTimeMinor)) reasons.push(`${offering.id}: one-time price is not a minor amount`);
  if (offering.monthlyCostMinor !== undefined && !isMinor(offering.monthlyCostMinor)) {
    reasons.push(`${offering.id}: monthly cost is not a minor amount`);
  }
  const optionNamed = (name: string): OfferingOption | undefined =>
    offering.options.find((o) => o.name === name);
  if (price.perUnitOf !== undefined) {
    const unitOption = optionNamed(price.perUnitOf);
    const range = unitOption?.domain.kind === 'integerRange' ? unitOption.domain : undefined;
    if (!unitOption || !range || range.min < 1) {
      reasons.push(`${offering.id}: perUnitOf must name a positive integer-range option`);
    } else if (!unitOption.required && range.default === undefined) {
      reasons.push(`${offering.id}: perUnitOf option must be required or have a default`);
    }
  }
  for (const override of price.oneTimeOverrides ?? []) {
    const option = optionNamed(override.option);
    const inDomain =
      option?.domain.kind === 'enum' &&
      option.domain.values.some((v) => String(v) === String(override.value));
    if (!inDomain)
      reasons.push(`${offering.id}: one-time override ${override.option}=${override.value} is unknown`);
    if (!isMinor(override.oneTimeMinor))
      reasons.push(`${offering.id}: one-time override is not a minor amount`);
  }
  return reasons;
}

function succession(release: CatalogRelease, previous: CatalogRelease): string[] {
  const reasons: string[] = [];
  if (release.catalogVersion === previous.catalogVersion)
    reasons.push('catalogVersion equals the current one');
  if (release.priceBookVersion === previous.priceBookVersion) {
    reasons.push('priceBookVersion equals the current one');
  }
  if (Date.parse(release.effectiveFrom) < Date.parse(previous.effectiveFrom)) {
    reasons.push('effectiveFrom is before the current release');
  }
  return reasons;
}
