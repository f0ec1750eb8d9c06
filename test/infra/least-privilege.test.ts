import { beforeAll, describe, expect, it } from 'vitest';
import { physicalTableNames } from '#local/local-stack';
import {
  localStreamArn,
  localTableArn,
  type ResolvedPolicies,
  resolvedPolicies,
} from '#local/template-policies';
import { type FunctionName, type FunctionSpec, functions, streamConsumers } from '#topology';

/**
 * Least privilege over the synthesized app (every stack, nested ones included), read from the
 * same resolved policies the local stack enforces.
 */
let policies: ResolvedPolicies;
beforeAll(async () => {
  policies = await resolvedPolicies({
    tables: physicalTableNames,
    eventBus: 'cpq-oms-local-bus',
    evidenceBucket: 'cpq-oms-evidence',
  });
});

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
};
const list = (v: string | string[]) => [v].flat();
const specs = Object.entries(functions) as [FunctionName, FunctionSpec][];
const statementsOf = (fn: FunctionName) =>
  policies.functionRoles[fn]!.policies.flatMap((p) => p.Statement as Statement[]).filter(
    (s) => s.Effect === 'Allow',
  );
const allRoleStatements = () =>
  [
    ...Object.values(policies.functionRoles),
    ...Object.values(policies.stateMachineRoles),
    ...Object.values(policies.scheduleRoles),
  ].flatMap((r) => r.policies.flatMap((p) => p.Statement as Statement[]));
const on = (s: Statement, arn: string) => list(s.Resource).some((r) => r === arn || r.startsWith(`${arn}/`));
const aggregates = localTableArn(physicalTableNames.aggregates);
const readModels = localTableArn(physicalTableNames.readModels);
const dynamoWrites =
  /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|ConditionCheckItem|\*)$|^dynamodb:\*$|^\*$/;
const leadingKeys = (s: Statement) =>
  (s.Condition as Record<string, Record<string, string[]>> | undefined)?.['ForAllValues:StringLike']?.[
    'dynamodb:LeadingKeys'
  ];

describe('least privilege for every writer (synthesized template, all stacks)', () => {
  it('every function’s role is in the template', () => {
    expect(Object.keys(policies.functionRoles).sort()).toEqual(Object.keys(functions).sort());
  });

  it('every statement that writes the aggregates table carries a dynamodb:LeadingKeys condition', () => {
    const writes = allRoleStatements().filter(
      (s) =>
        s.Effect === 'Allow' &&
        (on(s, aggregates) || list(s.Resource).includes('*')) &&
        list(s.Action).some((a) => dynamoWrites.test(a)),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const s of writes) expect(leadingKeys(s), JSON.stringify(s)).toBeDefined();
  });

  it.each(specs.filter(([, spec]) => spec.tables?.aggregates && spec.tables.aggregates !== 'read'))(
    '%s writes the aggregates table only under its writesKeys',
    (name, spec) => {
      const writes = statementsOf(name).filter(
        (s) => on(s, aggregates) && list(s.Action).some((a) => dynamoWrites.test(a)),
      );
      expect(writes.map(leadingKeys)).toEqual([spec.writesKeys!.aggregates!.map((p) => `${p}*`)]);
    },
  );

  it('no role may Scan, BatchWriteItem or ConditionCheckItem (no handler does)', () => {
    const actions = allRoleStatements().flatMap((s) => list(s.Action));
    for (const action of [
      'dynamodb:Scan',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:*',
    ])
      expect(actions).not.toContain(action);
  });

  it.each(specs)('%s reads a change stream only if it consumes or redrives it', (name, spec) => {
    const readsStream =
      streamConsumers.some((c) => c.function === name) || Boolean(spec.readsStreams?.length);
    const streamReads = statementsOf(name).filter((s) =>
      list(s.Action).some((a) => a === 'dynamodb:GetRecords' || a === 'dynamodb:GetShardIterator'),
    );
    expect(streamReads.length > 0).toBe(readsStream);
    for (const s of streamReads)
      expect(list(s.Resource)).toEqual([localStreamArn(physicalTableNames.aggregates)]);
  });

  it('no unused grant: no DescribeExecution for functions, no glue:GetPartitions, no aggregates for the dashboard', () => {
    const fnActions = Object.keys(functions).flatMap((fn) =>
      statementsOf(fn as FunctionName).flatMap((s) => list(s.Action)),
    );
    expect(fnActions).not.toContain('states:DescribeExecution');
    expect(fnActions).not.toContain('glue:GetPartitions');
    expect(statementsOf('ops-dashboard').filter((s) => on(s, aggregates))).toEqual([]);
  });

  it('readers of claim-checked events get only the outbox items (the fact mapper also quote headers and order partitions), by key', () => {
    const byKey = (fn: FunctionName) =>
      statementsOf(fn)
        .filter((s) => on(s, aggregates))
        .map((s) => [list(s.Action), leadingKeys(s)]);
    expect(byKey('fulfillment-starter')).toEqual([[['dynamodb:GetItem'], ['OUTBOX#*']]]);
    // A paged order's header and pages are one query within its partition.
    expect(byKey('fact-mapper')).toEqual([
      [
        ['dynamodb:GetItem', 'dynamodb:Query'],
        ['OUTBOX#*', 'QUOTE#*', 'ORDER#*'],
      ],
    ]);
    // The views read the order's version, the catalog pointer and an inbox page's quote headers.
    expect(byKey('view-get')).toEqual([
      [
        ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
        ['ORDER#*', 'QUOTE#*', 'CATALOG#*'],
      ],
    ]);
  });

  it('only the search handler queries the search table’s channel index, named (no index wildcard)', () => {
    const search = localTableArn(physicalTableNames.search);
    const onIndexes = (fn: FunctionName) =>
      statementsOf(fn).flatMap((s) => list(s.Resource).filter((r) => r.startsWith(`${search}/index/`)));
    const readers = specs.filter(([name]) => onIndexes(name).length > 0).map(([name]) => name);
    expect(readers).toEqual(['search']);
    expect(onIndexes('search')).toEqual([`${search}/index/entriesByChannel`]);
  });

  it('hub-dispatcher and signal-sampler write read models only under their own keys; the dispatcher reads only its own', () => {
    const onReadModels = (fn: FunctionName) => statementsOf(fn).filter((s) => on(s, readModels));
    const dispatcher = onReadModels('hub-dispatcher').map((s) => [list(s.Action).sort(), leadingKeys(s)]);
    expect(dispatcher.length).toBeGreaterThan(0);
    for (const [, keys] of dispatcher) expect(keys).toEqual(['HUBLOG#*']);
    const samplerWrites = onReadModels('signal-sampler').filter((s) =>
      list(s.Action).some((a) => dynamoWrites.test(a)),
    );
    expect(samplerWrites.map(leadingKeys)).toEqual([['GAUGES*']]);
  });
});
