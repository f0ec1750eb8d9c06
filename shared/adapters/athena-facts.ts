import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { sdkMaxAttempts, sdkRequestHandler, timeoutsNotRetried } from '#plumbing/sdk-timeouts';
import type { FactsEngine } from '#ports/facts-engine';
import { resourceEnv } from '#topology';

let client: AthenaClient | undefined;
const athena = () => {
  client ??= timeoutsNotRetried(
    new AthenaClient({ maxAttempts: sdkMaxAttempts, requestHandler: sdkRequestHandler() }),
  );
  return client;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Athena over the Glue fact tables, in the workgroup CDK creates (result location and
 * encryption are the workgroup's, enforced). Parameters are dates only, checked here again:
 * Athena substitutes execution parameters as literals.
 */
export const athenaFacts = (deadlineMs: () => number): FactsEngine => ({
  name: 'athena',
  query: async (sql, params) => {
    for (const p of params) if (!DATE.test(p)) throw new Error(`parameter ${p} is not a date`);
    const started = await athena().send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: process.env[resourceEnv.facts.workgroup],
        QueryExecutionContext: { Database: process.env[resourceEnv.facts.database] },
        ExecutionParameters: params.map((p) => `'${p}'`),
      }),
    );
    const id = started.QueryExecutionId!;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
      const state = (await athena().send(new GetQueryExecutionCommand({ QueryExecutionId: id })))
        .QueryExecution?.Status;
      if (state?.State === 'SUCCEEDED') break;
      if (state?.State === 'FAILED' || state?.State === 'CANCELLED') {
        throw new Error(`Athena query ${state.State}: ${state.StateChangeReason ?? ''}`);
      }
      if (deadlineMs() < wait + 1000) throw new Error('Athena query did not finish in time');
      await pause(wait);
    }
    const rows: Record<string, unknown>[] = [];
    let header: string[] | undefined;
    let token: string | undefined;
    do {
      const page = await athena().send(
        new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }),
      );
      const types = page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Type ?? 'varchar') ?? [];
      for (const row of page.ResultSet?.Rows ?? []) {
        const cells = (row.Data ?? []).map((d) => d.VarCharValue);
        if (!header) {
          header = cells.map((c) => c ?? '');
          continue;
        }
        rows.push(Object.fromEntries(header.map((h, i) => [h, typed(cells[i], types[i]!)])));
      }
      token = page.NextToken;
    } while (token);
    return rows;
  },
});

const numeric = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'double', 'float', 'real', 'decimal']);
const typed = (v: string | undefined, type: string): unknown => {
  if (v === undefined) return null;
  if (numeric.has(type)) return Number(v);
  if (type === 'boolean') return v === 'true';
  return v;
};
