import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kpis } from '#domain/reporting/kpis';

/** The KPI table of docs/read-side.md names every KPI with its current semantic version. */
describe('the documented KPI table', () => {
  const doc = readFileSync(new URL('../../../docs/read-side.md', import.meta.url), 'utf8');
  const rows = new Map(
    [...doc.matchAll(/^\| `(\w+)` \| [^|]+ \| [^|]+ \| (\w+) \| v(\d+) \|/gm)].map((m) => [
      m[1]!,
      { unit: m[2]!, version: Number(m[3]) },
    ]),
  );
  it.each(kpis.map((k) => [k.name, k] as const))('documents %s at its semantic version', (name, spec) => {
    expect(rows.get(name)).toEqual({ unit: spec.unit, version: spec.semanticVersion });
  });
});
