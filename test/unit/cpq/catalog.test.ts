import { describe, expect, it } from 'vitest';
import type { CatalogRelease, Offering } from '#domain/catalog/catalog-release';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';
import { toCatalogResource } from '#domain/catalog/catalog-resource';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { validateRelease } from '#domain/catalog/validate-release';
import { decemberRelease } from './cpq-fixtures.ts';

const withOffering = (id: string, change: (o: Offering) => Offering): CatalogRelease => ({
  ...demoCatalogRelease,
  offerings: demoCatalogRelease.offerings.map((o) => (o.id === id ? change(o) : o)),
});

describe('demoCatalogRelease', () => {
  it('is the contract release', () => {
    expect(demoCatalogRelease).toMatchObject({
      catalogVersion: 'cat-2026.11.0',
      priceBookVersion: 'pb-2026.11.0',
      currency: 'USD',
    });
    const prices = Object.fromEntries(
      demoCatalogRelease.offerings.map((o) => [
        o.id,
        [o.listPrice.monthlyRecurringMinor, o.listPrice.oneTimeMinor],
      ]),
    );
    expect(prices).toEqual({
      'off-fiber-1g': [90_000, 50_000],
      'off-sdwan': [15_000, 0],
      'off-security': [30_000, 0],
      'off-static-ip': [4_000, 0],
    });
    const fiber = demoCatalogRelease.offerings[0]!;
    expect(fiber.listPrice.oneTimeOverrides).toEqual([
      { option: 'install', value: 'express', oneTimeMinor: 120_000 },
    ]);
    expect(fiber.options.map((o) => [o.name, o.required])).toEqual([
      ['term', true],
      ['install', false],
    ]);
  });

  it('passes its own validation and the publish schema', () => {
    expect(validateRelease(demoCatalogRelease)).toEqual([]);
    expect(catalogReleaseSchema.parse(demoCatalogRelease)).toEqual(demoCatalogRelease);
  });
});

describe('validateRelease', () => {
  it('accepts a successor with new versions and a later effective date', () => {
    expect(validateRelease(decemberRelease, demoCatalogRelease)).toEqual([]);
  });

  it('refuses reused versions and an earlier effective date', () => {
    const reasons = validateRelease(
      { ...demoCatalogRelease, effectiveFrom: '2026-10-01T00:00:00.000Z' },
      demoCatalogRelease,
    );
    expect(reasons).toEqual([
      'catalogVersion equals the current one',
      'priceBookVersion equals the current one',
      'effectiveFrom is before the current release',
    ]);
  });

  it('refuses a constraint on an unknown offering and an empty constraint', () => {
    const release = withOffering('off-security', (o) => ({
      ...o,
      requires: [{ anyOf: ['off-gone'] }, { anyOf: [] }],
    }));
    expect(validateRelease(release)).toEqual([
      'off-security: requires unknown offering off-gone',
      'off-security: requires constraint names no offering',
    ]);
  });

  it('refuses malformed option domains', () => {
    const release = withOffering('off-fiber-1g', (o) => ({
      ...o,
      options: [
        { name: 'term', required: true, domain: { kind: 'enum', values: [] } },
        { name: 'install', required: false, domain: { kind: 'enum', values: ['a', 'b'], default: 'c' } },
        { name: 'speed', required: false, domain: { kind: 'integerRange', min: 5, max: 1 } },
        { name: 'ports', required: false, domain: { kind: 'integerRange', min: 1, max: 4, default: 9 } },
      ],
      listPrice: { monthlyRecurringMinor: 1, oneTimeMinor: 1 },
    }));
    expect(validateRelease(release)).toEqual([
      'off-fiber-1g.term: enum domain is empty',
      'off-fiber-1g.install: default is outside the domain',
      'off-fiber-1g.speed: min is greater than max',
      'off-fiber-1g.ports: default is outside the domain',
    ]);
  });

  it('refuses an unpriced offering, bad amounts and broken price references', () => {
    const unpriced = withOffering('off-security', (o) => {
      const { listPrice: _p, ...rest } = o;
      return rest as Offering;
    });
    expect(validateRelease(unpriced)).toEqual(['off-security: has no list price']);
    const bad = withOffering('off-sdwan', (o) => ({
      ...o,
      listPrice: {
        monthlyRecurringMinor: 150.5,
        oneTimeMinor: -1,
        perUnitOf: 'nope',
        oneTimeOverrides: [{ option: 'sites', value: 3, oneTimeMinor: 1 }],
      },
    }));
    expect(validateRelease(bad)).toEqual([
      'off-sdwan: monthly price is not a minor amount',
      'off-sdwan: one-time price is not a minor amount',
      'off-sdwan: perUnitOf must name a positive integer-range option',
      'off-sdwan: one-time override sites=3 is unknown',
    ]);
  });

  it('refuses duplicate offerings and an empty release', () => {
    const duplicated = {
      ...demoCatalogRelease,
      offerings: [...demoCatalogRelease.offerings, demoCatalogRelease.offerings[0]!],
    };
    expect(validateRelease(duplicated)).toContain('offering off-fiber-1g is listed twice');
    expect(validateRelease({ ...demoCatalogRelease, offerings: [] })).toContain('release has no offerings');
  });
});

describe('catalogReleaseSchema', () => {
  it('rejects a malformed publish body', () => {
    expect(catalogReleaseSchema.safeParse({ ...demoCatalogRelease, currency: 'usd' }).success).toBe(false);
    expect(catalogReleaseSchema.safeParse({ ...demoCatalogRelease, effectiveFrom: 'tomorrow' }).success).toBe(
      false,
    );
    const fractional = withOffering('off-security', (o) => ({
      ...o,
      listPrice: { ...o.listPrice, monthlyRecurringMinor: 1.5 },
    }));
    expect(catalogReleaseSchema.safeParse(fractional).success).toBe(false);
  });
});

describe('toCatalogResource', () => {
  it('hides cost from partners only', () => {
    const forPartner = toCatalogResource(demoCatalogRelease, 'partner');
    expect(JSON.stringify(forPartner)).not.toContain('monthlyCostMinor');
    expect(forPartner.offerings.map((o) => o.listPrice)).toEqual(
      demoCatalogRelease.offerings.map((o) => o.listPrice),
    );
    expect(JSON.stringify(toCatalogResource(demoCatalogRelease, 'sales'))).toContain('monthlyCostMinor');
  });
});
