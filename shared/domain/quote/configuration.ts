import {
  type CatalogRelease,
  findOffering,
  type Offering,
  type OptionValue,
} from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import type { ChangeRequest } from '#domain/inventory/change-request';
import { basisPointsFromPercent } from '#domain/money';
import { type LineReferences, lineReferencesOf } from '#domain/quote/line-references';

/** Rules in evaluation order; the order is part of the rule set and never depends on input. */
export const CONFIGURATION_RULES = [
  'OFFERING_EXISTS',
  'OPTION_KNOWN',
  'OPTION_IN_DOMAIN',
  'REQUIRED_OPTION',
  'QUANTITY_POSITIVE_INTEGER',
  'DISCOUNT_PERCENT_VALID',
  'REQUIRES',
] as const;
export type ConfigurationRule = (typeof CONFIGURATION_RULES)[number];

/** Keeps every extended amount far inside the safe integer range. */
export const MAX_LINE_QUANTITY = 9_999;

export type RuleResult = { rule: ConfigurationRule; outcome: 'PASS' | 'FAIL'; message?: string };

export type ConfigurationTrace = {
  ruleSetVersion: string;
  rulesEvaluated: RuleResult[];
  status: 'VALID' | 'INVALID';
};

export type LineRequest = LineReferences & {
  lineId: string;
  offeringId: string;
  quantity: number;
  options: Record<string, OptionValue>;
  discountPercent?: number;
  /** The installed product the line changes (MACD), resolved before configuration. */
  change?: ChangeRequest;
};

export type ConfiguredLine = LineReferences & {
  lineId: string;
  offeringId: string;
  quantity: number;
  /** Catalog option order, defaults applied, enum values in the catalog's own spelling. */
  options: Record<string, OptionValue>;
  discountBasisPoints: number;
  catalogVersion: string;
  /** The offering's product family in that catalog (for search and reporting); not price-relevant. */
  productFamily?: string;
  configuration: ConfigurationTrace;
  change?: ChangeRequest;
};

/** Evaluates every line against the release; never throws, invalid lines carry a failing trace. */
export function configureLines(lines: readonly LineRequest[], release: CatalogRelease): ConfiguredLine[] {
  // Only a new line provides what another new line requires: a product this quote changes is
  // not provisioned by its order, so a new line cannot wait for it (nor build on one it deletes).
  const offeringsOnQuote = new Set(lines.filter((line) => !line.change).map((line) => line.offeringId));
  return lines.map((line) => configureLine(line, release, offeringsOnQuote));
}

/** `configureLines`, then throws INVALID_CONFIGURATION naming the first failing line and rule. */
export function configureLinesOrThrow(
  lines: readonly LineRequest[],
  release: CatalogRelease,
): ConfiguredLine[] {
  if (lines.length === 0) {
    throw new DomainError('INVALID_CONFIGURATION', 'a quote needs at least one line', {
      rule: 'QUOTE_HAS_LINES',
    });
  }
  const configured = configureLines(lines, release);
  assertValidConfiguration(configured);
  return configured;
}

export function assertValidConfiguration(lines: readonly ConfiguredLine[]): void {
  for (const line of lines) {
    const failure = line.configuration.rulesEvaluated.find((r) => r.outcome === 'FAIL');
    if (failure) {
      throw new DomainError('INVALID_CONFIGURATION', `line ${line.lineId}: ${failure.message}`, {
        lineId: line.lineId,
        offeringId: line.offeringId,
        rule: failure.rule,
        ruleSetVersion: line.configuration.ruleSetVersion,
      });
    }
  }
}

function configureLine(
  line: LineRequest,
  release: CatalogRelease,
  offeringsOnQuote: Set<string>,
): ConfiguredLine {
  const offering = findOffering(release, line.offeringId);
  const discountBasisPoints = basisPointsFromPercent(line.discountPercent ?? 0);
  const results: RuleResult[] = [];
  let options = { ...line.options };
  if (!offering) {
    results.push(
      fail('OFFERING_EXISTS', `offering ${line.offeringId} is not in catalog ${release.catalogVersion}`),
    );
  } else {
    results.push(pass('OFFERING_EXISTS'));
    const resolution = resolveOptions(offering, line.options);
    options = resolution.options;
    results.push(
      resolution.unknown.length === 0
        ? pass('OPTION_KNOWN')
        : fail('OPTION_KNOWN', `unknown option ${resolution.unknown.join(', ')} for ${offering.id}`),
      resolution.outOfDomain.length === 0
        ? pass('OPTION_IN_DOMAIN')
        : fail('OPTION_IN_DOMAIN', `option ${resolution.outOfDomain.join(', ')} outside its domain`),
      resolution.missing.length === 0
        ? pass('REQUIRED_OPTION')
        : fail('REQUIRED_OPTION', `required option ${resolution.missing.join(', ')} missing`),
      Number.isInteger(line.quantity) && line.quantity >= 1 && line.quantity <= MAX_LINE_QUANTITY
        ? pass('QUANTITY_POSITIVE_INTEGER')
        : fail('QUANTITY_POSITIVE_INTEGER', `quantity must be an integer from 1 to ${MAX_LINE_QUANTITY}`),
      discountBasisPoints !== null
        ? pass('DISCOUNT_PERCENT_VALID')
        : fail('DISCOUNT_PERCENT_VALID', 'discountPercent must be 0 to 100 with at most two decimals'),
      // A change of an installed product met its requirements when it was installed.
      line.change ? pass('REQUIRES') : requiresResult(offering, offeringsOnQuote),
    );
  }
  return {
    ...lineReferencesOf(line),
    lineId: line.lineId,
    offeringId: line.offeringId,
    quantity: line.quantity,
    options,
    discountBasisPoints: discountBasisPoints ?? 0,
    catalogVersion: release.catalogVersion,
    ...(offering ? { productFamily: offering.family } : {}),
    ...(line.change ? { change: line.change } : {}),
    configuration: {
      ruleSetVersion: release.catalogVersion,
      rulesEvaluated: results,
      status: results.every((r) => r.outcome === 'PASS') ? 'VALID' : 'INVALID',
    },
  };
}

type OptionResolution = {
  options: Record<string, OptionValue>;
  unknown: string[];
  outOfDomain: string[];
  missing: string[];
};

function resolveOptions(offering: Offering, given: Record<string, OptionValue>): OptionResolution {
  const resolution: OptionResolution = { options: {}, unknown: [], outOfDomain: [], missing: [] };
  for (const option of offering.options) {
    const raw = Object.hasOwn(given, option.name) ? given[option.name] : undefined;
    if (raw === undefined || raw === null) {
      if (option.domain.default !== undefined) resolution.options[option.name] = option.domain.default;
      else if (option.required) resolution.missing.push(option.name);
      continue;
    }
    const canonical = canonicalValue(option.domain, raw);
    if (canonical === undefined) {
      resolution.outOfDomain.push(`${option.name}=${String(raw)}`);
      resolution.options[option.name] = raw;
    } else {
      resolution.options[option.name] = canonical;
    }
  }
  for (const name of Object.keys(given).sort()) {
    if (!offering.options.some((o) => o.name === name)) {
      resolution.unknown.push(name);
      resolution.options[name] = given[name] as OptionValue;
    }
  }
  return resolution;
}

/** The catalog's spelling of a value (so 24 and "24" configure the same line), or undefined. */
function canonicalValue(
  domain: Offering['options'][number]['domain'],
  raw: unknown,
): OptionValue | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  if (domain.kind === 'enum') return domain.values.find((v) => String(v) === String(raw));
  const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n >= domain.min && n <= domain.max ? n : undefined;
}

function requiresResult(offering: Offering, offeringsOnQuote: Set<string>): RuleResult {
  const unmet = (offering.requires ?? []).find((c) => !c.anyOf.some((id) => offeringsOnQuote.has(id)));
  return unmet
    ? fail(
        'REQUIRES',
        `${offering.id} requires one of ${unmet.anyOf.join(', ')} as a new line on the same quote (a product the quote changes does not count)`,
      )
    : pass('REQUIRES');
}

const pass = (rule: ConfigurationRule): RuleResult => ({ rule, outcome: 'PASS' });
const fail = (rule: ConfigurationRule, message: string): RuleResult => ({ rule, outcome: 'FAIL', message });
