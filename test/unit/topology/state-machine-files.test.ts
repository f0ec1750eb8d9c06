import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { functions, stateMachines } from '#topology';

const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: { Message?: string }[];
};

type State = {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: Record<string, unknown>[];
  ItemProcessor?: { States: Record<string, State> };
};
const allStates = (states: Record<string, State>): [string, State][] =>
  Object.entries(states).flatMap(([n, s]) => [
    [n, s] as [string, State],
    ...(s.ItemProcessor ? allStates(s.ItemProcessor.States) : []),
  ]);

describe.each(Object.entries(stateMachines))('state machine %s', (_name, spec) => {
  const text = readFileSync(spec.definitionFile, 'utf8');
  const definition = JSON.parse(text) as { States: Record<string, State> };

  it('is valid Amazon States Language', () => {
    // Default options: ARNs may be CDK substitution tokens, paths are checked.
    const result = validate(definition);
    expect(result.errors.map((e) => e.Message)).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('uses exactly the placeholders the topology substitutes, each naming a known function or machine', () => {
    const used = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    const children = spec.childMachines ?? {};
    expect([...used].sort()).toEqual([...Object.keys(spec.taskFunctions), ...Object.keys(children)].sort());
    for (const fn of Object.values(spec.taskFunctions)) expect(Object.keys(functions)).toContain(fn);
    for (const child of Object.values(children)) expect(Object.keys(stateMachines)).toContain(child);
  });

  it('bounds every Task with TimeoutSeconds and retries only named errors with a full-jitter budget', () => {
    for (const [stateName, state] of allStates(definition.States).filter(([, s]) => s.Type === 'Task')) {
      expect(state.TimeoutSeconds, stateName).toBeGreaterThan(0);
      for (const retry of state.Retry ?? []) {
        expect(retry.ErrorEquals, stateName).not.toContain('States.ALL');
        expect(retry, stateName).toMatchObject({ JitterStrategy: 'FULL' });
        expect(retry.MaxAttempts, stateName).toBeGreaterThan(0);
        expect(retry.MaxDelaySeconds, stateName).toBeGreaterThan(0);
      }
    }
  });
});

const expressMachines = Object.entries(stateMachines).filter(([, spec]) => spec.type === 'EXPRESS');

describe.each(expressMachines)('express state machine %s', (_name, spec) => {
  it('ends within the 5 minutes Express allows and runs no .sync integration (Standard only)', () => {
    const text = readFileSync(spec.definitionFile, 'utf8');
    expect((JSON.parse(text) as { TimeoutSeconds?: number }).TimeoutSeconds).toBeLessThanOrEqual(300);
    expect(text).not.toContain('.sync');
  });
});
