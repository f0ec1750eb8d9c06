/**
 * A whole quote aggregate for tests that plant one straight into the table: every reader of the
 * shared stack (lists, TMF renderings) may meet it, so it must have the shape the domain writes.
 */
export const plantedQuote = (
  id: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => {
  const now = new Date().toISOString();
  return {
    id,
    version: 0,
    state: 'inProgress',
    customer: { accountId: `acct-${id}`, name: 'Planted customer' },
    currency: 'USD',
    channelId: 'sales-portal',
    createdBy: { principalId: 'planted', role: 'sales', channelId: 'sales-portal' },
    createdAt: now,
    updatedAt: now,
    validFor: { startDateTime: now, endDateTime: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    lines: [],
    approval: { requests: [], decisions: [], invalidations: [] },
    ...overrides,
  };
};
