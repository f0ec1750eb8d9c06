import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepErrorName } from '#plumbing/step-errors';
import { type FunctionSpec, functions, stateMachines } from '#topology';

const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: { Message?: string }[];
};

type Catcher = { ErrorEquals: string[]; Next: string };
type State = {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: (Record<string, unknown> & { ErrorEquals: string[] })[];
  Catch?: Catcher[];
  ItemProcessor?: { States: Record<string, State> };
};
const allStates = (states: Record<string, State>): [string, State][] =>
  Object.entries(states).flatMap(([n, s]) => [
    [n, s] as [string, State],
    ...(s.ItemProcessor ? allStates(s.ItemProcessor.States) : []),
  ]);

/** What Lambda itself raises to Step Functions (the Invoke API's errors; a timeout is `Lambda.Unknown`). */
const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/**
 * Every error name a handler can throw: error classes' `name`, the step errors, and the domain
 * codes as step error names (#plumbing/step-errors).
 */
const throwableNames = (() => {
  const names = new Set<string>();
  for (const file of [...sourceFiles('shared'), ...sourceFiles('functions')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/readonly name = '([\w.]+)'/g)) names.add(m[1]!);
    for (const m of text.matchAll(/StepError\('(\w+)'/g)) names.add(m[1]!);
  }
  for (const m of readFileSync('shared/domain/errors.ts', 'utf8').matchAll(/\| '([A-Z_]+)'/g))
    names.add(stepErrorName(m[1]!));
  // The SDK's own timeout passes through a handler unchanged (#plumbing/sdk-timeouts names it).
  if (readFileSync('shared/plumbing/sdk-timeouts.ts', 'utf8').includes("'TimeoutError'"))
    names.add('TimeoutError');
  return names;
})();

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

  const lambdaTasks = allStates(definition.States).flatMap(([stateName, state]) => {
    const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource ?? '')?.[1];
    const fn = placeholder
      ? (spec.taskFunctions as Record<string, keyof typeof functions>)[placeholder]
      : undefined;
    return state.Type === 'Task' && fn ? [{ stateName, state, fn }] : [];
  });

  it('outlasts each function’s own timeout, so a slow function ends as Lambda reports it (Lambda.Unknown)', () => {
    for (const { stateName, state, fn } of lambdaTasks) {
      const spec: FunctionSpec = functions[fn];
      expect(state.TimeoutSeconds, stateName).toBeGreaterThan(spec.timeoutSeconds ?? 10);
    }
  });

  it('retries the errors Lambda raises and handles a function timeout (Lambda.Unknown) on every Lambda task', () => {
    for (const { stateName, state } of lambdaTasks) {
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      for (const error of lambdaServiceErrors) expect(retried, stateName).toContain(error);
      // A re-entrant step retries a timed-out invocation; a side effect's timeout is an unknown outcome.
      const caught = (state.Catch ?? []).filter((c) => !c.ErrorEquals.includes('States.ALL'));
      const handled = [...retried, ...caught.flatMap((c) => c.ErrorEquals)];
      expect(handled, stateName).toContain('Lambda.Unknown');
    }
  });

  it('names only errors that can be raised: by Step Functions, by Lambda, or thrown by a handler', () => {
    const named = allStates(definition.States).flatMap(([stateName, state]) =>
      [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((r) =>
        r.ErrorEquals.map((e) => [stateName, e]),
      ),
    );
    for (const [stateName, error] of named) {
      const raisedByAws = /^(States|Lambda|StepFunctions)\./.test(error!);
      expect(raisedByAws || throwableNames.has(error!), `${stateName}: ${error}`).toBe(true);
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
