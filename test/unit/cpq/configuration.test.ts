import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { DomainError } from '#domain/errors';
import {
  CONFIGURATION_RULES,
  type ConfiguredLine,
  configureLines,
  configureLinesOrThrow,
  type LineRequest,
} from '#domain/quote/configuration';

const line = (
  lineId: string,
  offeringId: string,
  options: LineRequest['options'] = {},
  more = {},
): LineRequest => ({
  lineId,
  offeringId,
  quantity: 1,
  options,
  ...more,
});
const fiber = (options: LineRequest['options'] = { term: 24 }, more = {}) =>
  line('1', 'off-fiber-1g', options, more);

const failures = (configured: ConfiguredLine) =>
  configured.configuration.rulesEvaluated.filter((r) => r.outcome === 'FAIL').map((r) => r.rule);

const only = (lines: LineRequest[]): ConfiguredLine => configureLines(lines, demoCatalogRelease)[0]!;

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('configuration rules', () => {
  it('evaluates every rule in fixed order and applies defaults', () => {
    const configured = only([fiber()]);
    expect(configured.configuration).toEqual({
      ruleSetVersion: 'cat-2026.11.0',
      status: 'VALID',
      rulesEvaluated: CONFIGURATION_RULES.map((rule) => ({ rule, outcome: 'PASS' })),
    });
    expect(configured.options).toEqual({ term: 24, install: 'standard' });
    expect(configured.catalogVersion).toBe('cat-2026.11.0');
  });

  it('OFFERING_EXISTS fails for an unknown offering and stops evaluating the line', () => {
    const configured = only([line('1', 'off-gone')]);
    expect(configured.configuration.status).toBe('INVALID');
    expect(configured.configuration.rulesEvaluated).toEqual([
      {
        rule: 'OFFERING_EXISTS',
        outcome: 'FAIL',
        message: 'offering off-gone is not in catalog cat-2026.11.0',
      },
    ]);
  });

  it('OPTION_KNOWN fails for an option the offering does not have', () => {
    expect(failures(only([fiber({ term: 24, colour: 'red' })]))).toEqual(['OPTION_KNOWN']);
  });

  it('OPTION_IN_DOMAIN fails for enum and range values outside the domain', () => {
    expect(failures(only([fiber({ term: 48 })]))).toEqual(['OPTION_IN_DOMAIN']);
    expect(failures(only([fiber({ term: 24, install: 'overnight' })]))).toEqual(['OPTION_IN_DOMAIN']);
    expect(failures(only([line('1', 'off-sdwan', { sites: 0 })]))).toEqual(['OPTION_IN_DOMAIN']);
    expect(failures(only([line('1', 'off-sdwan', { sites: 51 })]))).toEqual(['OPTION_IN_DOMAIN']);
    expect(failures(only([line('1', 'off-sdwan', { sites: 2.5 })]))).toEqual(['OPTION_IN_DOMAIN']);
    expect(failures(only([line('1', 'off-sdwan', { sites: 50 })]))).toEqual([]);
  });

  it('stores enum and range values in the catalog spelling', () => {
    expect(only([fiber({ term: '36', install: 'express' })]).options).toEqual({
      term: 36,
      install: 'express',
    });
    expect(only([line('1', 'off-sdwan', { sites: '7' })]).options).toEqual({ sites: 7 });
  });

  it('REQUIRED_OPTION fails when a required option without default is missing', () => {
    expect(failures(only([fiber({})]))).toEqual(['REQUIRED_OPTION']);
    expect(failures(only([line('1', 'off-sdwan')]))).toEqual(['REQUIRED_OPTION']);
  });

  it.each([0, -1, 1.5, 10_000, Number.NaN])('QUANTITY_POSITIVE_INTEGER fails for %s', (quantity) => {
    expect(failures(only([{ ...fiber(), quantity }]))).toEqual(['QUANTITY_POSITIVE_INTEGER']);
  });

  it.each([-1, 100.5, 10.001])('DISCOUNT_PERCENT_VALID fails for %s', (discountPercent) => {
    expect(failures(only([fiber({ term: 24 }, { discountPercent })]))).toEqual(['DISCOUNT_PERCENT_VALID']);
  });

  it('keeps a valid discount in basis points', () => {
    expect(only([fiber({ term: 24 }, { discountPercent: 12.34 })]).discountBasisPoints).toBe(1234);
  });

  describe('REQUIRES', () => {
    it('security needs fiber or SD-WAN on the same quote', () => {
      expect(failures(only([line('1', 'off-security')]))).toEqual(['REQUIRES']);
      const withSdwan = configureLines(
        [line('1', 'off-security'), line('2', 'off-sdwan', { sites: 2 })],
        demoCatalogRelease,
      );
      expect(withSdwan.map((l) => l.configuration.status)).toEqual(['VALID', 'VALID']);
      const withFiber = configureLines([line('1', 'off-security'), fiber()], demoCatalogRelease);
      expect(withFiber.map((l) => l.configuration.status)).toEqual(['VALID', 'VALID']);
    });

    it('static IP needs fiber, SD-WAN does not satisfy it', () => {
      const lines = [line('1', 'off-static-ip', { size: 8 }), line('2', 'off-sdwan', { sites: 2 })];
      expect(failures(configureLines(lines, demoCatalogRelease)[0]!)).toEqual(['REQUIRES']);
      const withFiber = configureLines(
        [line('1', 'off-static-ip', { size: 16 }), fiber()],
        demoCatalogRelease,
      );
      expect(withFiber[0]!.configuration.status).toBe('VALID');
    });
  });
});

describe('REQUIRES on a quote that mixes new products with changes', () => {
  const changed = (action: 'modify' | 'delete' = 'modify') =>
    fiber(
      { term: 24 },
      {
        lineId: '2',
        change: {
          action,
          productId: 'prd-old-1',
          installed: {
            status: 'active',
            options: { term: 24 },
            price: {
              netOneTime: 0,
              netRecurring: 9000,
              listOneTime: 0,
              listRecurring: 9000,
              discountPercent: 0,
            },
          },
        },
      },
    );

  it('a product the quote changes does not provide what a new line requires', () => {
    for (const action of ['modify', 'delete'] as const) {
      const [staticIp, change] = configureLines(
        [line('1', 'off-static-ip', { size: 8 }), changed(action)],
        demoCatalogRelease,
      );
      expect(failures(staticIp!)).toEqual(['REQUIRES']);
      expect(change!.configuration.status).toBe('VALID');
    }
  });

  it('a new line beside changes is valid when another new line provides what it requires', () => {
    const lines = configureLines(
      [line('1', 'off-static-ip', { size: 8 }), changed(), { ...fiber(), lineId: '3' }],
      demoCatalogRelease,
    );
    expect(lines.map((l) => l.configuration.status)).toEqual(['VALID', 'VALID', 'VALID']);
  });
});

describe('configureLinesOrThrow', () => {
  it('names the first failing line and the first failing rule in rule order', () => {
    const error = thrown(() =>
      configureLinesOrThrow(
        [
          { ...fiber(), lineId: '1' },
          { ...line('2', 'off-fiber-1g', { colour: 'red' }), quantity: 0 },
          line('3', 'off-gone'),
        ],
        demoCatalogRelease,
      ),
    );
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({
      lineId: '2',
      offeringId: 'off-fiber-1g',
      rule: 'OPTION_KNOWN',
      ruleSetVersion: 'cat-2026.11.0',
    });
  });

  it('refuses a quote without lines', () => {
    expect(thrown(() => configureLinesOrThrow([], demoCatalogRelease)).details).toEqual({
      rule: 'QUOTE_HAS_LINES',
    });
  });

  it('is deterministic: the same lines give the same traces whatever the key order of options', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(12, 24, 36),
        fc.constantFrom('standard', 'express'),
        fc.boolean(),
        (term, install, flip) => {
          const options = flip ? { install, term } : { term, install };
          const a = configureLines([fiber(options)], demoCatalogRelease);
          const b = configureLines([fiber({ term, install })], demoCatalogRelease);
          expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        },
      ),
    );
  });
});
