import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboards, signalNames, signals } from '#signals';
import { type FunctionName, functions } from '#topology';

const root = path.resolve(import.meta.dirname, '../../..');
const aliases: Record<string, string> = {
  '#domain/': 'shared/domain/',
  '#adapters/': 'shared/adapters/',
  '#commands/': 'shared/commands/',
  '#plumbing/': 'shared/plumbing/',
  '#functions/': 'functions/',
};

/** The source of a file and of every project file it imports, transitively. */
const sourceOf = (entry: string, seen = new Set<string>()): string => {
  if (seen.has(entry)) return '';
  seen.add(entry);
  const text = readFileSync(path.join(root, entry), 'utf8');
  const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
  const files = imports.flatMap((spec) => {
    if (spec === '#signals') return ['shared/signals.ts'];
    const alias = Object.keys(aliases).find((a) => spec.startsWith(a));
    if (alias) return [`${aliases[alias]}${spec.slice(alias.length)}.ts`];
    if (spec.startsWith('.')) return [path.join(path.dirname(entry), spec)];
    return [];
  });
  return [text, ...files.map((f) => sourceOf(f, seen))].join('\n');
};

const seed19_2 = [
  'stale quote count',
  'stale price count',
  'approval invalidation rate',
  'quote-to-order conversion failures',
  'duplicate submit attempts',
  'orders in fallout',
  'oldest fallout age',
  'unknown outcome tasks',
  'DLQ count by event type',
  'reconciliation drift count',
  'active asset without billing',
  'billed subscription without fulfilled asset',
];

describe('signal catalog', () => {
  it.each(seed19_2)('covers the requirements 000 §19.2 signal "%s"', (name) => {
    expect(signalNames.filter((s) => signals[s].seed.includes(`000 §19.2 ${name}`))).not.toHaveLength(0);
  });

  it.each(signalNames)('%s has a producer that exists and emits it', (name) => {
    const { producer } = signals[name];
    if (producer.kind === 'ratio') {
      for (const part of [producer.numerator, producer.denominator]) {
        expect(signalNames, `${name} → ${part}`).toContain(part);
        expect(signals[part as keyof typeof signals].kind).toBe('counter');
      }
      return;
    }
    if (producer.kind === 'aws') {
      expect(producer.namespace).toMatch(/^AWS\//);
      return;
    }
    expect(producer.functions.length).toBeGreaterThan(0);
    for (const fn of producer.functions) {
      expect(Object.keys(functions), `${name}: producer ${fn}`).toContain(fn);
      const source = sourceOf(functions[fn as FunctionName].entry);
      const emitsByName = source.includes(`'${name}'`) || new RegExp(`\\b${name}:`).test(source);
      const emitsAsRefusal = producer.refusals !== undefined && source.includes('emitRefusal(');
      expect(emitsByName || emitsAsRefusal, `${name} is not emitted by ${fn}`).toBe(true);
    }
  });

  it.each(signalNames)('%s has a decision, an owner, a runbook and a sane alarm', (name) => {
    const spec = signals[name];
    expect(spec.decision.length).toBeGreaterThan(10);
    expect(spec.ownerTeam).toMatch(/^[a-z-]+$/);
    expect(spec.runbook.length).toBeGreaterThan(10);
    expect(Object.keys(dashboards)).toContain(spec.dashboard);
    if (spec.alarm) {
      expect(Number.isFinite(spec.alarm.threshold)).toBe(true);
      expect(spec.alarm.periodSeconds % 60).toBe(0);
      expect(spec.alarm.evaluationPeriods).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives every dashboard a decision, an owner and at least one leading signal (requirements 003 §19)', () => {
    for (const [name, dashboard] of Object.entries(dashboards)) {
      expect(dashboard.decision, name).toBeTruthy();
      expect(dashboard.ownerTeam, name).toBeTruthy();
      const own = signalNames.filter((s) => signals[s].dashboard === name);
      expect(
        own.some((s) => signals[s].indicator === 'leading'),
        name,
      ).toBe(true);
    }
  });

  it('alarms on the signals the issue names: DLQ depth, iterator age, fallout age, unknown outcomes, projection lag, drift', () => {
    for (const name of [
      'DeadLetterDepth',
      'StreamIteratorAge',
      'OldestFalloutAge',
      'UnknownOutcomeTasks',
      'ProjectionLag',
      'ReconciliationDrift',
    ] as const) {
      expect(signals[name].alarm, name).toBeDefined();
    }
    expect(signalNames.filter((s) => signals[s].alarm?.ordersAtRisk).length).toBeGreaterThan(1);
  });

  it('emits metrics only through the metrics module', () => {
    const files = Object.values(functions).map((f) => f.entry);
    for (const file of files) {
      const own = readFileSync(path.join(root, file), 'utf8');
      expect(own, file).not.toMatch(/addMetric\(/);
    }
    const plumbing = ['shared/plumbing/http/api-handler.ts', 'shared/plumbing/http/error-mapping.ts'];
    for (const file of plumbing) {
      const text = readFileSync(path.join(root, file), 'utf8');
      expect(text, `${file} must not know domain codes`).not.toMatch(
        /'(STALE_PRICE|POLICY_VIOLATION|QUOTE_ALREADY_CONVERTED|APPROVAL_STALE)'/,
      );
      expect(text, file).not.toMatch(/Idempotent-Replayed/);
    }
  });
});
