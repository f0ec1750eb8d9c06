import { describe, expect, it } from 'vitest';
import { functionFaultSchema, LocalFaults, tableFaultSchema } from '#local/faults';

describe('local faults registry', () => {
  it('applies a table fault to the listed operations and key prefix only, for its count', () => {
    const faults = new LocalFaults();
    faults.setCatalog({ error: 'TimeoutError', count: 2 });
    expect(faults.forTableCall('aggregates', 'write', ['CATALOG#current'])).toBeUndefined();
    expect(faults.forTableCall('aggregates', 'read', ['QUOTE#q-1'])).toBeUndefined();
    expect(faults.forTableCall('idempotency', 'read', ['CATALOG#current'])).toBeUndefined();
    expect(faults.forTableCall('aggregates', 'read', ['CATALOG#current'])?.error).toBe('TimeoutError');
    expect(faults.forTableCall('aggregates', 'read', ['CATALOG#current'])?.error).toBe('TimeoutError');
    expect(faults.forTableCall('aggregates', 'read', ['CATALOG#current'])).toBeUndefined();
    expect(faults.snapshot().tables).toEqual({});
  });

  it('applies a function fault until cleared when it has no count', () => {
    const faults = new LocalFaults();
    faults.setFunction('quote-approval', functionFaultSchema.parse({ error: true }));
    for (let i = 0; i < 5; i++) expect(faults.forInvocation('quote-approval')?.error).toBe(true);
    expect(faults.forInvocation('quote-get')).toBeUndefined();
    faults.clear();
    expect(faults.forInvocation('quote-approval')).toBeUndefined();
  });

  it('refuses faults that inject nothing or name unknown keys', () => {
    expect(functionFaultSchema.safeParse({}).success).toBe(false);
    expect(functionFaultSchema.safeParse({ error: true, bogus: 1 }).success).toBe(false);
    expect(functionFaultSchema.safeParse({ startupDelayMilliseconds: 500 }).data?.preventExecution).toBe(
      true,
    );
    expect(tableFaultSchema.safeParse({ operations: ['read'] }).success).toBe(false);
    expect(tableFaultSchema.safeParse({ error: 'Nope' }).success).toBe(false);
    expect(tableFaultSchema.safeParse({ latencyMs: 50 }).data?.operations).toEqual(['read', 'write']);
  });

  it('knows the topology names', () => {
    const faults = new LocalFaults();
    expect(faults.isFunction('order-create')).toBe(true);
    expect(faults.isFunction('toString')).toBe(false);
    expect(faults.isTable('readModels')).toBe(true);
    expect(faults.isTable('nope')).toBe(false);
  });
});
