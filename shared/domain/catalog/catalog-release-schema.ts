import { z } from 'zod';
import type { CatalogRelease } from '#domain/catalog/catalog-release';

const minor = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const optionValue = z.union([z.string().min(1), z.number()]);

const optionDomain = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('enum'), values: z.array(optionValue), default: optionValue.optional() }),
  z.object({
    kind: z.literal('integerRange'),
    min: z.number().int(),
    max: z.number().int(),
    default: z.number().int().optional(),
  }),
]);

const offering = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  family: z.string().min(1),
  options: z.array(z.object({ name: z.string().min(1), required: z.boolean(), domain: optionDomain })),
  requires: z.array(z.object({ anyOf: z.array(z.string().min(1)) })).optional(),
  listPrice: z.object({
    monthlyRecurringMinor: minor,
    oneTimeMinor: minor,
    perUnitOf: z.string().min(1).optional(),
    oneTimeOverrides: z
      .array(z.object({ option: z.string().min(1), value: optionValue, oneTimeMinor: minor }))
      .optional(),
  }),
  monthlyCostMinor: minor.optional(),
});

/**
 * Shape of an ops publish body. Cross-field rules (constraints name offerings, versions move
 * forward, ...) are `validateRelease`'s job.
 */
export const catalogReleaseSchema = z.object({
  catalogVersion: z.string().min(1),
  priceBookVersion: z.string().min(1),
  effectiveFrom: z.iso.datetime(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  offerings: z.array(offering).min(1),
});

// Compile-time proof that a parsed body is a CatalogRelease.
const _parsedIsRelease = (parsed: z.infer<typeof catalogReleaseSchema>): CatalogRelease => parsed;
void _parsedIsRelease;
