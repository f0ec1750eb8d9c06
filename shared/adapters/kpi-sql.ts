import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The KPI SQL files. From source they are in shared/domain/reporting/kpis; the Lambda bundle
 * carries a copy in `kpis/` next to its entry file (infra/constructs/reporting.ts).
 */
const here = dirname(fileURLToPath(import.meta.url));
const candidates = [join(here, 'kpis'), join(here, '../domain/reporting/kpis')];

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
