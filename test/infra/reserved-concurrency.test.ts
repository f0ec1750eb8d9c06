import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type FunctionName, functions } from '#topology';
import { reservedConcurrencyOf } from '../../infra/constructs/reserved-concurrency.ts';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

const topologyReserved = Object.fromEntries(
  Object.entries(functions).flatMap(([name, spec]) =>
    'reservedConcurrency' in spec && spec.reservedConcurrency !== undefined
      ? [[name, spec.reservedConcurrency]]
      : [],
  ),
) as Partial<Record<FunctionName, number>>;
const topologyTotal = Object.values(topologyReserved).reduce((a, b) => a + (b ?? 0), 0);

const reservedWith = (context: Record<string, unknown>) => reservedConcurrencyOf(new App({ context }));

describe('reserved concurrency from context, refused when the account quota cannot hold it', () => {
  it('defaults to the topology reservations and a quota of 1,000', () => {
    expect(reservedWith({})).toEqual(topologyReserved);
    expect(topologyTotal).toBe(70);
  });

  it('refuses a total that would leave fewer than 100 unreserved in the declared quota', () => {
    expect(() => reservedWith({ accountConcurrencyQuota: String(topologyTotal + 99) })).toThrow(
      `Reserved concurrency ${topologyTotal} (`,
    );
    expect(() => reservedWith({ accountConcurrencyQuota: '50' })).toThrow(
      /does not fit the account concurrency quota 50: Lambda keeps 100 unreserved, so at most 0 can be reserved/,
    );
    expect(reservedWith({ accountConcurrencyQuota: String(topologyTotal + 100) })).toEqual(topologyReserved);
  });

  it('scales every reservation (rounded up) and takes per-function overrides', () => {
    expect(reservedWith({ reservedConcurrencyScale: '0.2', accountConcurrencyQuota: 120 })).toEqual({
      'order-create': 10,
      'order-cancel': 1,
      'quote-approval': 1,
      'order-repair': 1,
      'hub-dispatcher': 1,
    });
    expect(
      reservedWith({
        reservedConcurrency: '{"order-create": 20, "order-cancel": 0}',
        accountConcurrencyQuota: 135,
      }),
    ).toMatchObject({ 'order-create': 20, 'order-cancel': 0 });
    expect(() => reservedWith({ reservedConcurrency: { 'no-such-function': 1 } })).toThrow(/not a function/);
    expect(() => reservedWith({ reservedConcurrencyScale: 'lots' })).toThrow(/must be a non-negative number/);
  });

  it('the stack reserves what the context says, and synth refuses what the quota cannot hold', () => {
    const context = { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] };
    const stack = new CpqOmsStack(
      new App({ context: { ...context, reservedConcurrencyScale: '0.2', accountConcurrencyQuota: '114' } }),
      'SmallAccount',
    );
    const reserved = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.ReservedConcurrentExecutions)
      .filter((n) => n !== undefined)
      .sort((a, b) => a - b);
    expect(reserved).toEqual([1, 1, 1, 1, 10]);
    expect(
      () => new CpqOmsStack(new App({ context: { ...context, accountConcurrencyQuota: '150' } }), 'TooSmall'),
    ).toThrow(/does not fit the account concurrency quota 150/);
  });
});
