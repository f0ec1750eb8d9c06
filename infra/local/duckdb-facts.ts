import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  type ColumnType,
  type FactTableName,
  factTableNames,
  factTables,
  partitionColumn,
} from '#domain/reporting/fact-tables';
import type { FactsEngine } from '#ports/facts-engine';

/**
 * The local stand-in for Athena: DuckDB over the NDJSON facts the local delivery stream wrote
 * (`<dir>/facts/<table>/dt=YYYY-MM-DD/*.json`), with the same column types as the Glue tables,
 * so the same KPI SQL runs unchanged. Loaded by the report handler only on the local stack.
 */
const duckType: Record<ColumnType, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

const hasFiles = (dir: string) =>
  existsSync(dir) &&
  readdirSync(dir, { withFileTypes: true }).some(
    (d) => d.isDirectory() && readdirSync(join(dir, d.name)).some((f) => f.endsWith('.json')),
  );

const viewSql = (dir: string, table: FactTableName): string => {
  const columns = Object.entries(factTables[table].columns) as [string, ColumnType][];
  const tableDir = join(dir, 'facts', table);
  if (!hasFiles(tableDir)) {
    const empty = columns.map(([c, t]) => `CAST(NULL AS ${duckType[t]}) AS ${c}`).join(', ');
    return `CREATE VIEW ${table} AS SELECT ${empty}, CAST(NULL AS VARCHAR) AS ${partitionColumn} WHERE 1 = 0`;
  }
  const spec = columns.map(([c, t]) => `${c}: ${quote(duckType[t])}`).join(', ');
  return (
    `CREATE VIEW ${table} AS SELECT * FROM read_json(${quote(join(tableDir, '*', '*.json'))}, ` +
    `format = 'newline_delimited', columns = {${spec}}, hive_partitioning = true, hive_types_autocast = false)`
  );
};

/** JSON values like Athena's typed results: BIGINT as number, anything else DuckDB-specific as text. */
const plain = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v !== 'object') return v;
  return String(v);
};

export const createFactsEngine = async (dir: string): Promise<FactsEngine> => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of factTableNames) await connection.run(viewSql(dir, table));
  return {
    name: 'duckdb',
    query: async (sql, params) =>
      (await connection.runAndReadAll(sql, params))
        .getRowObjectsJS()
        .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]))),
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
};
