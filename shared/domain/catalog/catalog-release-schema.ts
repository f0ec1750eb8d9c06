import * as z from 'zod/mini';
import type { CatalogRelease } from '#domain/catalog/catalog-release';

const minor = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
const name = z.string().check(z.minLength(1));
const optionValue = z.union([name, z.number()]);

const optionDomain = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('enum'), values: z.array(optionValue), default: z.optional(optionValue) }),
  z.object({
    kind: z.literal('integerRange'),
    min: z.int(),
    max: z.int(),
    default: z.optional(z.int()),
  }),
]);

const offering = z.object({
  id: name,
  name: name,
  family: name,
  options: z.array(z.object({ name: name, required: z.boolean(), domain: optionDomain })),
  requires: z.optional(z.array(z.object({ anyOf: z.array(name) }))),
  listPrice: z.object({
    monthlyRecurringMinor: minor,
    oneTimeMinor: minor,
    perUnitOf: z.optional(name),
    oneTimeOverrides: z.optional(
      z.array(z.object({ option: name, value: optionValue, oneTimeMinor: minor })),
    ),
  }),
  monthlyCostMinor: z.optional(minor),
  fulfillmentLeadTimeSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(365 * 24 * 3600))),
});

/**
 * Shape of an ops publish body. Cross-field rules (constraints name offerings, versions move
 * forward, ...) are `validateRelease`'s job.
 */
export const catalogReleaseSchema = z.object({
  catalogVersion: name,
  priceBookVersion: name,
  effectiveFrom: z.iso.datetime(),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  offerings: z.array(offering).check(z.minLength(1)),
});

// Compile-time proof that a parsed body is a CatalogRelease.
const _parsedIsRelease = (parsed: z.infer<typeof catalogReleaseSchema>): CatalogRelease => parsed;
void _parsedIsRelease;
