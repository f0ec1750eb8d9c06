import { SingleBar } from 'cli-progress';
import { kpiSql } from '#adapters/kpi-sql';
import { type KpiSpec, kpis } from '#domain/reporting/kpis';
import { createFactsEngine } from '#local/duckdb-facts';
import { generateReportData } from './report-data.ts';

/**
 * `npm run ops -- report kpis [--url <api>] [--token <t>] [--from] [--to] [--lake-dir <dir>]`
 *   over HTTP (GET /reports/kpis, one KPI per call for the progress bar), or with --lake-dir
 *   straight on a folder of facts with DuckDB (the same SQL files).
 * `npm run ops -- report generate --lake-dir <dir> [--quotes 2000] [--days 30] [--from] [--seed 1]`
 */
export type ReportArgs = {
  url?: string;
  token?: string;
  from?: string;
  to?: string;
  lakeDir?: string;
  quotes?: string;
  days?: string;
  seed?: string;
};

type Result = KpiSpec & {
  value?: unknown;
  detail?: Record<string, unknown>;
  rows?: Record<string, unknown>[];
};

const today = () => new Date().toISOString().slice(0, 10);
const fmt = (v: unknown): string =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? String(v)
      : v.toFixed(4)
    : v === null || v === undefined
      ? '—'
      : String(v);

const table = (rows: Record<string, unknown>[]): string => {
  if (rows.length === 0) return '  (no rows)\n';
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c]).length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`;
  return (
    line(columns) +
    line(widths.map((w) => '-'.repeat(w))) +
    rows.map((r) => line(columns.map((c) => fmt(r[c])))).join('')
  );
};

const runKpi = async (
  args: ReportArgs,
  spec: KpiSpec,
  from: string,
  to: string,
  local?: Awaited<ReturnType<typeof createFactsEngine>>,
): Promise<Result> => {
  if (local) {
    const rows = await local.query(kpiSql(spec.name), [from, to]);
    return spec.shape === 'value'
      ? { ...spec, value: rows[0]?.value ?? null, detail: rows[0] ?? {} }
      : { ...spec, rows };
  }
  const url = `${(args.url ?? 'http://localhost:3000').replace(/\/$/, '')}/reports/kpis?from=${from}&to=${to}&kpi=${spec.name}`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${args.token ?? 'local-ops'}` } });
  const body = (await res.json()) as { kpis?: Result[]; message?: string };
  if (res.status !== 200 || !body.kpis?.[0])
    throw new Error(`GET ${url}: ${res.status} ${body.message ?? ''}`);
  return body.kpis[0];
};

export const reportKpis = async (args: ReportArgs): Promise<number> => {
  const from = args.from ?? new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const to = args.to ?? today();
  const local = args.lakeDir ? await createFactsEngine(args.lakeDir) : undefined;
  const bar = new SingleBar({ format: 'KPIs [{bar}] {value}/{total} {kpi}', stream: process.stderr });
  bar.start(kpis.length, 0, { kpi: '' });
  const results: Result[] = [];
  try {
    for (const spec of kpis) {
      bar.update(results.length, { kpi: spec.name });
      results.push(await runKpi(args, spec, from, to, local));
      bar.update(results.length);
    }
  } finally {
    bar.stop();
    await local?.close?.();
  }
  const out = process.stdout;
  out.write(
    `KPIs ${from} … ${to} (${local ? `DuckDB over ${args.lakeDir}` : `GET ${args.url ?? 'http://localhost:3000'}/reports/kpis`})\n\n`,
  );
  out.write(
    table(
      results
        .filter((r) => r.shape === 'value')
        .map((r) => ({
          kpi: r.title,
          value: r.value,
          unit: r.unit,
          seed: r.seedRef,
          detail: JSON.stringify(r.detail),
        })),
    ),
  );
  for (const r of results.filter((x) => x.shape === 'rows'))
    out.write(`\n${r.title} (requirements ${r.seedRef})\n${table(r.rows ?? [])}`);
  return 0;
};

export const generateData = async (args: ReportArgs): Promise<number> => {
  if (!args.lakeDir) throw new Error('report generate needs --lake-dir <dir>');
  const quotes = Number(args.quotes ?? 2000);
  const bar = new SingleBar({ format: 'quotes [{bar}] {value}/{total}', stream: process.stderr });
  bar.start(quotes, 0);
  const summary = await generateReportData(
    {
      dir: args.lakeDir,
      quotes,
      days: Number(args.days ?? 30),
      from: args.from ?? new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
      seed: Number(args.seed ?? 1),
    },
    (done) => bar.update(done),
  );
  bar.stop();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
};
