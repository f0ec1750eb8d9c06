/** A SQL engine over the reporting facts: Athena in AWS, DuckDB on the local stack. */
export type FactsEngine = {
  name: string;
  /** Runs one KPI query with positional parameters (`?`); rows as plain JSON values. */
  query: (sql: string, params: string[]) => Promise<Record<string, unknown>[]>;
  close?: () => Promise<void>;
};
