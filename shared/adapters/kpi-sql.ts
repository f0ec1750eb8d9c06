import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The KPI SQL files, in shared/domain/reporting/kpis: beside this module in the source tree, and
 * under the same relative path beside the Lambda bundle (the function's `assetsDir`).
 */
const here = dirname(fileURLToPath(import.meta.url));
const candidates = [join(here, 'shared/domain/reporting/kpis'), join(here, '../domain/reporting/kpis')];

export const kpiSqlDir = (): string => {
  const dir = candidates.find((d) => existsSync(d));
  if (!dir) throw new Error(`KPI SQL files not found in ${candidates.join(' or ')}`);
  return dir;
};

const cache = new Map<string, string>();
export const kpiSql = (name: string): string => {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(join(kpiSqlDir(), `${name}.sql`), 'utf8');
    cache.set(name, sql);
  }
  return sql;
};
