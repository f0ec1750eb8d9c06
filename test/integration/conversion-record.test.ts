import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExtraItemConflict, saveAggregate } from '#adapters/aggregate-store';

const save = (id: string, unique: Record<string, unknown>) =>
  saveAggregate({
    kind: 'ORDER',
    id,
    expectedVersion: 0,
    aggregate: { id },
    events: [],
    correlationId: randomUUID(),
    now: new Date().toISOString(),
    extraItems: [{ item: unique, mustNotExist: true }],
  });

describe('a unique record written with its aggregate (the quote conversion record)', () => {
  it('the loser of the race learns the winner from the existing record, as plain values', async () => {
    const key = { pk: `CONVERSION#q-${randomUUID()}`, sk: 'A', itemType: 'conversion' };
    await save('po-winner', { ...key, orderId: 'po-winner' });
    const lost = await save('po-loser', { ...key, orderId: 'po-loser' }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(ExtraItemConflict);
    expect((lost as ExtraItemConflict).existing?.orderId).toBe('po-winner');
  });
});
