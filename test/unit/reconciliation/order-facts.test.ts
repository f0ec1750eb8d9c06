import { describe, expect, it } from 'vitest';
import { orderFacts } from '#adapters/reconciliation-sources';

const order = (downstream: unknown) => ({
  data: { id: 'po-1', state: 'inProgress', tasks: [{ id: 't1', type: 'X', state: 'DONE', downstream }] },
  version: 3,
});

describe('the order facts reconciliation reads', () => {
  it('keeps the downstream system each task names', () => {
    expect(orderFacts(order('billing')).tasks[0]?.downstream).toBe('billing');
    expect(orderFacts(order('provisioning')).tasks[0]?.downstream).toBe('provisioning');
  });

  it('refuses a system the domain does not know instead of asking provisioning about it', () => {
    expect(() => orderFacts(order('activation'))).toThrow(/unknown downstream system: activation/);
  });
});
