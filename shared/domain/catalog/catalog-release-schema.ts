import * as z from 'zod/mini';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { MAX_HARD_LIMIT_SECONDS, taskTypes } from '#domain/order/long-running';

const minor = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
/** Every string and list has a ceiling: versions and ids end up in DynamoDB keys (1,024-byte sort key). */
const name = z.string().check(z.minLength(1), z.maxLength(100));
const label = z.string().check(z.minLength(1), z.maxLength(200));
const bounded = z.int().check(z.minimum(-1e9), z.maximum(1e9));
const atMost = <T extends z.core.SomeType>(item: T, max: number) => z.array(item).check(z.maxLength(max));
const optionValue = z.union([name, z.number()]);

const optionDomain = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('enum'), values: atMost(optionValue, 100), default: z.optional(optionValue) }),
  z.object({
    kind: z.literal('integerRange'),
    min: bounded,
    max: bounded,
    default: z.optional(bounded),
  }),
]);

const seconds = z.int().check(z.minimum(1), z.maximum(MAX_HARD_LIMIT_SECONDS));
const taskTimers = z
  .object({ expectedSeconds: seconds, heartbeatSeconds: seconds, hardLimitSeconds: seconds })
  .check(
    z.refine((t) => t.hardLimitSeconds >= t.expectedSeconds, {
      message: 'hardLimitSeconds must be at least expectedSeconds',
    }),
  );

const offering = z.object({
  id: name,
  name: label,
  family: label,
  options: atMost(z.object({ name: name, required: z.boolean(), domain: optionDomain }), 50),
  requires: z.optional(atMost(z.object({ anyOf: atMost(name, 50) }), 50)),
  listPrice: z.object({
    monthlyRecurringMinor: minor,
    oneTimeMinor: minor,
    perUnitOf: z.optional(name),
    oneTimeOverrides: z.optional(
      atMost(z.object({ option: name, value: optionValue, oneTimeMinor: minor }), 100),
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
  offerings: z.array(offering).check(z.minLength(1), z.maxLength(500)),
  taskTimers: z.optional(z.partialRecord(z.enum(taskTypes), taskTimers)),
});

// Compile-time proof that a parsed body is a CatalogRelease.
const _parsedIsRelease = (parsed: z.infer<typeof catalogReleaseSchema>): CatalogRelease => parsed;
void _parsedIsRelease;
