/**
 * Operator commands. `npm run ops -- rebuild-projections [view] [flags]`,
 * `npm run ops -- rollback-projections <view> [flags]` (back to the version before the last switch),
 * `npm run ops -- rebuild-search [flags]` (every search document from its aggregate into a new index
 * version, verified by version, state and checksum, then switched), `npm run ops -- rollback-search`
 * (back to the index version before the last switch),
 * `npm run ops -- rebuild-facts --lake-dir <dir> [--refusals-from <old lake>] [flags]` (reporting
 * facts from the source of record into a new lake, command refusals taken over from the old one;
 * point the reporting engine at it to switch, at the old one to roll back).
 *
 * Flags (or the same environment variables the functions read):
 *   --local-url <url>   a running local stack: DynamoDB endpoint from GET <url>/health,
 *                       tables from infra/local physicalTableNames
 *   --endpoint <url>    DynamoDB endpoint (AWS_ENDPOINT_URL_DYNAMODB); omit for AWS
 *   --aggregates-table  physical name (AGGREGATES_TABLE)
 *   --read-models-table physical name (READ_MODELS_TABLE)
 *   --search-table      physical name (SEARCH_TABLE)
 *   --region <region>   AWS_REGION (default us-east-1 locally)
 *   --rate <n>          rebuild: partitions written per second at most (default 100)
 * Views: order-tracking, fallout, approval-inbox, expiring-quotes, account-timeline (default all).
 *
 * `npm run ops -- report kpis|generate [flags]`: see scripts/report-cli.ts.
 */
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { type ViewName, viewNames } from '#domain/projections/views';
import { physicalTableNames } from '#local/local-stack';
import { resourceEnv } from '#topology';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'local-url': { type: 'string' },
    endpoint: { type: 'string' },
    'aggregates-table': { type: 'string' },
    'read-models-table': { type: 'string' },
    'search-table': { type: 'string' },
    region: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'lake-dir': { type: 'string' },
    'refusals-from': { type: 'string' },
    quotes: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    rate: { type: 'string' },
  },
});

const configure = async () => {
  if (values['local-url']) {
    const res = await fetch(`${values['local-url'].replace(/\/$/, '')}/health`, {
      headers: { Authorization: `Bearer ${process.env.OPS_TOKEN ?? 'local-ops'}` },
    });
    const health = (await res.json()) as { components?: { dynamodb?: { endpoint?: string } } };
    const endpoint = health.components?.dynamodb?.endpoint;
    if (!endpoint) throw new Error(`No DynamoDB endpoint in ${values['local-url']}/health`);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      [resourceEnv.tables.aggregates]: physicalTableNames.aggregates,
      [resourceEnv.tables.readModels]: physicalTableNames.readModels,
      [resourceEnv.tables.search]: physicalTableNames.search,
    });
  }
  if (values.endpoint) process.env.AWS_ENDPOINT_URL_DYNAMODB = values.endpoint;
  if (values.region) process.env.AWS_REGION = values.region;
  if (values['aggregates-table']) process.env[resourceEnv.tables.aggregates] = values['aggregates-table'];
  if (values['read-models-table']) process.env[resourceEnv.tables.readModels] = values['read-models-table'];
  if (values['search-table']) process.env[resourceEnv.tables.search] = values['search-table'];
};

const rebuild = async (view?: string) => {
  if (view && !viewNames.includes(view as ViewName))
    throw new Error(`Unknown view ${view}: ${viewNames.join(', ')}`);
  // Imported after the environment is configured: clients read it when first used.
  const { rebuildProjections } = await import('#adapters/projection-rebuild');
  const bar = new SingleBar({ format: '{view} [{bar}] {value}/{total} partitions' });
  let started = false;
  const reports = await rebuildProjections({
    views: view ? [view as ViewName] : undefined,
    onStart: (name, total) => {
      if (started) bar.stop();
      bar.start(total, 0, { view: name.padEnd(16) });
      started = true;
    },
    onProgress: (_name, done) => bar.update(done),
    maxPartitionsPerSecond: Number(values.rate ?? 100),
  });
  if (started) bar.stop();
  for (const r of reports) {
    process.stdout.write(
      `${r.view}: v${r.fromVersion} → v${r.toVersion} ${r.switched ? 'switched' : 'NOT switched'} (${r.partitions} partitions, ${r.diffs.length} differences; ${r.source.replayed} aggregates replayed, ${r.source.fromAggregate} read from the aggregate, ${r.source.unreadable.length} unreadable)\n`,
    );
    for (const d of r.diffs.slice(0, 20)) process.stdout.write(`  ${d.kind} ${d.partition}\n`);
  }
  return reports.every((r) => r.switched) ? 0 : 2;
};

const rollback = async (view?: string) => {
  if (!view || !viewNames.includes(view as ViewName))
    throw new Error(`Name the view to roll back: ${viewNames.join(', ')}`);
  const { rollbackProjection } = await import('#adapters/projection-rebuild');
  const r = await rollbackProjection(view as ViewName);
  process.stdout.write(`${r.view}: v${r.fromVersion} → v${r.toVersion} (rolled back)\n`);
  return 0;
};

const rebuildSearch = async () => {
  const { rebuildSearchIndex } = await import('#adapters/search-reindex');
  const r = await rebuildSearchIndex({ maxDocumentsPerSecond: Number(values.rate ?? 100) });
  process.stdout.write(
    `search: v${r.fromVersion} → v${r.toVersion} ${r.switched ? 'switched' : 'NOT switched'} (${r.documents} documents re-indexed, ${r.differences.length} differences, ${r.unreadable.length} unreadable)\n`,
  );
  for (const d of r.differences.slice(0, 20))
    process.stdout.write(`  ${d.problem} ${d.type} ${d.id} v${d.source.version}\n`);
  for (const u of r.unreadable.slice(0, 20)) process.stdout.write(`  UNREADABLE ${u}\n`);
  return r.switched ? 0 : 2;
};

const rollbackSearch = async () => {
  const { rollbackSearchIndex } = await import('#adapters/search-reindex');
  const r = await rollbackSearchIndex();
  process.stdout.write(`search: v${r.fromVersion} → v${r.toVersion} (rolled back)\n`);
  return 0;
};

const rebuildFactsLake = async () => {
  if (!values['lake-dir']) throw new Error('rebuild-facts needs --lake-dir <new lake folder>');
  const { rebuildFacts } = await import('#adapters/facts-rebuild');
  const r = await rebuildFacts(values['lake-dir'], {
    ...(values['refusals-from'] ? { refusalsFrom: values['refusals-from'] } : {}),
  });
  for (const p of r.partitions) process.stdout.write(`${p.partition}: ${p.rows} rows ${p.checksum}\n`);
  process.stdout.write(
    `facts: ${r.partitions.length} partitions (${r.source.replayed} aggregates replayed, ${r.source.fromAggregate} read from the aggregate)\n`,
  );
  return 0;
};

const main = async () => {
  await configure();
  const [command, arg] = positionals;
  if (command === 'rebuild-projections') return rebuild(arg);
  if (command === 'rollback-projections') return rollback(arg);
  if (command === 'rebuild-search') return rebuildSearch();
  if (command === 'rollback-search') return rollbackSearch();
  if (command === 'rebuild-facts') return rebuildFactsLake();
  if (command === 'report' && (arg === 'kpis' || arg === 'generate')) {
    const { reportKpis, generateData } = await import('./report-cli.ts');
    const args = { ...values, lakeDir: values['lake-dir'] };
    return arg === 'kpis' ? reportKpis(args) : generateData(args);
  }
  process.stderr.write(
    'usage: npm run ops -- rebuild-projections [view] [--local-url http://127.0.0.1:3000] [--rate 100]\n' +
      '       npm run ops -- rollback-projections <view> [--local-url http://127.0.0.1:3000]\n' +
      '       npm run ops -- rebuild-search [--local-url http://127.0.0.1:3000] [--rate 100]\n' +
      '       npm run ops -- rollback-search [--local-url http://127.0.0.1:3000]\n' +
      '       npm run ops -- rebuild-facts --lake-dir <dir> [--refusals-from <old lake>] [--local-url http://127.0.0.1:3000]\n' +
      '       npm run ops -- report kpis [--url http://127.0.0.1:3000] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lake-dir <dir>]\n' +
      '       npm run ops -- report generate --lake-dir <dir> [--quotes 2000] [--days 30] [--from YYYY-MM-DD] [--seed 1]\n',
  );
  return 1;
};

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
