import type { CatalogRelease } from '#domain/catalog/catalog-release';

const day = 24 * 3600;

/** The release the local stack starts with (api-contract.md, Catalog). Amounts in cents. */
export const demoCatalogRelease: CatalogRelease = {
  catalogVersion: 'cat-2026.11.0',
  priceBookVersion: 'pb-2026.11.0',
  effectiveFrom: '2026-11-01T00:00:00.000Z',
  currency: 'USD',
  offerings: [
    {
      id: 'off-fiber-1g',
      name: 'Enterprise Fiber 1G',
      family: 'Connectivity',
      options: [
        { name: 'term', required: true, domain: { kind: 'enum', values: [12, 24, 36] } },
        {
          name: 'install',
          required: false,
          domain: { kind: 'enum', values: ['standard', 'express'], default: 'standard' },
        },
      ],
      listPrice: {
        monthlyRecurringMinor: 90_000,
        oneTimeMinor: 50_000,
        oneTimeOverrides: [{ option: 'install', value: 'express', oneTimeMinor: 120_000 }],
      },
      monthlyCostMinor: 54_000,
      fulfillmentLeadTimeSeconds: 10 * day,
    },
    {
      id: 'off-sdwan',
      name: 'Managed SD-WAN',
      family: 'Connectivity',
      options: [{ name: 'sites', required: true, domain: { kind: 'integerRange', min: 1, max: 50 } }],
      listPrice: { monthlyRecurringMinor: 15_000, oneTimeMinor: 0, perUnitOf: 'sites' },
      monthlyCostMinor: 9_000,
      fulfillmentLeadTimeSeconds: 7 * day,
    },
    {
      id: 'off-security',
      name: 'Managed Security Add-On',
      family: 'Security',
      options: [],
      requires: [{ anyOf: ['off-fiber-1g', 'off-sdwan'] }],
      listPrice: { monthlyRecurringMinor: 30_000, oneTimeMinor: 0 },
      monthlyCostMinor: 15_000,
      fulfillmentLeadTimeSeconds: 3 * day,
    },
    {
      id: 'off-static-ip',
      name: 'Static IP Block',
      family: 'Connectivity',
      options: [{ name: 'size', required: true, domain: { kind: 'enum', values: [8, 16] } }],
      requires: [{ anyOf: ['off-fiber-1g'] }],
      listPrice: { monthlyRecurringMinor: 4_000, oneTimeMinor: 0 },
      monthlyCostMinor: 1_000,
      fulfillmentLeadTimeSeconds: 2 * day,
    },
  ],
  // Downstream work per task type: fiber access takes days, activations minutes (long-running.ts).
  taskTimers: {
    ACCESS_PROVISION: { expectedSeconds: 10 * day, heartbeatSeconds: day / 2, hardLimitSeconds: 20 * day },
    SERVICE_ACTIVATION: { expectedSeconds: 15 * 60, heartbeatSeconds: 5 * 60, hardLimitSeconds: 3600 },
  },
};
