import { pathToFileURL } from 'node:url';
import { athenaFacts } from '#adapters/athena-facts';
import { kpiSql } from '#adapters/kpi-sql';
import { factTableNames } from '#domain/reporting/fact-tables';
import { kpis } from '#domain/reporting/kpis';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { kpiReportQuery } from '#plumbing/http/ops-schemas';
import { parseQuery } from '#plumbing/http/query';
import type { FactsEngine } from '#ports/facts-engine';
import { resourceEnv } from '#topology';

const DAY = 86_400_000;
const query = kpiReportQuery;

/**
 * The local stack names a DuckDB engine module and the folder its facts land in; anywhere else
 * this is Athena. The module path is data, so the Lambda bundle never contains DuckDB.
 */
const engineFor = async (remainingMs: () => number): Promise<FactsEngine> => {
  const local = process.env[resourceEnv.facts.localEngine];
  if (!local) return athenaFacts(remainingMs);
  const mod = (await import(pathToFileURL(local).href)) as {
    createFactsEngine: (dir: string) => Promise<FactsEngine>;
  };
  return mod.createFactsEngine(process.env[resourceEnv.facts.localDir] ?? '');
};

/** GET /reports/kpis?from=&to=[&kpi=]: KPIs from the reporting facts, never the OLTP tables. */
export const handler = apiHandler({
  operation: 'report-kpis',
  roles: ['ops', 'finance'],
  handle: async (req) => {
    const { from, to, kpi } = parseQuery(query, req.query);
    const span = (Date.parse(to) - Date.parse(from)) / DAY;
    if (span < 0 || span > 366) {
      throw new HttpError(
        400,
        'MALFORMED_REQUEST',
        'from must not be after to, and the span at most 366 days',
        {
          fields: [{ field: 'to', message: 'from ≤ to ≤ from + 366 days' }],
        },
      );
    }
    const started = Date.now();
    const engine = await engineFor(() => 25_000 - (Date.now() - started));
    try {
      const results = [];
      for (const spec of kpis.filter((k) => !kpi || k.name === kpi)) {
        const rows = await engine.query(kpiSql(spec.name), [from, to]);
        results.push({
          ...spec,
          ...(spec.shape === 'value' ? { value: rows[0]?.value ?? null, detail: rows[0] ?? {} } : { rows }),
        });
      }
      return {
        status: 200,
        body: {
          from,
          to,
          engine: engine.name,
          source: `reporting facts (${factTableNames.join(', ')})`,
          computedAt: new Date().toISOString(),
          kpis: results,
        },
      };
    } finally {
      await engine.close?.();
    }
  },
});
