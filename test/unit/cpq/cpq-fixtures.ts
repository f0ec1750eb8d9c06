import type { Actor, CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import type { CreateQuoteInput, LineInput } from '#domain/quote/quote';

export const NOW = '2026-11-10T09:00:00.000Z';

export const partnerA: Actor = { principalId: 'partner-a-user', role: 'partner', channelId: 'partner-a' };
export const seller: Actor = { principalId: 'sales-user', role: 'sales', channelId: 'sales-portal' };
export const approver: Actor = {
  principalId: 'approver-user',
  role: 'approver',
  channelId: 'deal-desk',
  approvalLimitPercent: 40,
};
export const ops: Actor = { principalId: 'ops-user', role: 'ops', channelId: 'ops-console' };

export const ctx = (actor: Actor, now = NOW): CommandContext => ({ now, actor, correlationId: 'corr-1' });

/** The December release: new versions, fiber monthly price moves from 900 to 950. */
export const decemberRelease: CatalogRelease = {
  ...demoCatalogRelease,
  catalogVersion: 'cat-2026.12.0',
  priceBookVersion: 'pb-2026.12.0',
  effectiveFrom: '2026-12-01T00:00:00.000Z',
  offerings: demoCatalogRelease.offerings.map((o) =>
    o.id === 'off-fiber-1g' ? { ...o, listPrice: { ...o.listPrice, monthlyRecurringMinor: 95_000 } } : o,
  ),
};

export const fiberLine = (discountPercent?: number, overrides: Partial<LineInput> = {}): LineInput => ({
  offeringId: 'off-fiber-1g',
  quantity: 1,
  options: { term: 24 },
  ...(discountPercent === undefined ? {} : { discountPercent }),
  ...overrides,
});

export const quoteBody = (lines: LineInput[] = [fiberLine()]): CreateQuoteInput => ({
  customer: { accountId: 'acc-1', name: 'Acme Corp', segment: 'enterprise' },
  currency: 'USD',
  lines,
  externalId: 'ext-1',
});

/** Recursively freezes a value so a test fails if a command mutates its input. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
