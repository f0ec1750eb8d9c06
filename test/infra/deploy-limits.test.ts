import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { templatesOf } from '#test/stack-templates';
import { type FunctionName, type FunctionSpec, functions, queues, streamConsumers, tables } from '#topology';
import { createApp } from '../../infra/cpq-oms-app.ts';

const outdir = mkdtempSync(path.join(tmpdir(), 'cpq-oms-limits-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const { stack } = createApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
const templates = templatesOf(stack);
const all = templates.flatMap(({ resources }) => Object.entries(resources));
const ofType = (type: string) => all.filter(([, r]) => r.Type === type);
const specOf = (name: FunctionName) => functions[name] as FunctionSpec;

/** CloudFormation: 500 resources, 200 parameters and 200 outputs per stack. */
const stackLimits = { resources: 500, parameters: 200, outputs: 200 };

describe('what CloudFormation would refuse at deploy time', () => {
  it.each(templates.map((t) => [t.stack.node.path, t] as const))(
    '%s keeps at least 20 % headroom under the resource limit, and within parameters and outputs',
    (_path, t) => {
      const json = Template.fromStack(t.stack).toJSON();
      expect(Object.keys(t.resources).length).toBeLessThanOrEqual(stackLimits.resources * 0.8);
      expect(Object.keys(json.Parameters ?? {}).length).toBeLessThanOrEqual(stackLimits.parameters);
      expect(Object.keys(json.Outputs ?? {}).length).toBeLessThanOrEqual(stackLimits.outputs);
    },
  );

  it('names and descriptions fit the services’ lengths and character sets', () => {
    expect(stack.stackName).toMatch(/^[A-Za-z][A-Za-z0-9-]{0,127}$/);
    for (const [id, key] of ofType('AWS::ApiGateway::ApiKey'))
      expect(key.Properties.Value, id).toMatch(/^.{20,128}$/);
    for (const [id, wg] of ofType('AWS::Athena::WorkGroup'))
      expect(wg.Properties.Name, id).toMatch(/^[a-zA-Z0-9._-]{1,128}$/);
    for (const [id, q] of ofType('AWS::Athena::NamedQuery'))
      expect(q.Properties.Name.length, id).toBeLessThanOrEqual(128);
    for (const [id, db] of ofType('AWS::Glue::Database'))
      expect(db.Properties.DatabaseInput.Name, id).toMatch(/^[a-z0-9_]{1,255}$/);
    for (const [id, lg] of ofType('AWS::Logs::LogGroup'))
      if (typeof lg.Properties.LogGroupName === 'string')
        expect(lg.Properties.LogGroupName, id).toMatch(/^[.\-_/#A-Za-z0-9]{1,512}$/);
    for (const [id, alarm] of [
      ...ofType('AWS::CloudWatch::Alarm'),
      ...ofType('AWS::CloudWatch::CompositeAlarm'),
    ]) {
      expect((alarm.Properties.AlarmName ?? '').length, id).toBeLessThanOrEqual(255);
      expect((alarm.Properties.AlarmDescription ?? '').length, id).toBeLessThanOrEqual(1024);
    }
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      expect((fn.Properties.Description ?? '').length, id).toBeLessThanOrEqual(256);
      // Lambda: all environment variables together at most 4 KB.
      expect(JSON.stringify(fn.Properties.Environment?.Variables ?? {}).length, id).toBeLessThan(4096);
    }
    for (const [id, role] of ofType('AWS::IAM::Role'))
      expect((role.Properties.Description ?? '').length, id).toBeLessThanOrEqual(1000);
    for (const [id, rule] of [...ofType('AWS::Events::Rule'), ...ofType('AWS::Scheduler::Schedule')])
      expect((rule.Properties.Description ?? '').length, id).toBeLessThanOrEqual(512);
  });

  it('reserves no more concurrency than an account with the default quota can hold (100 stay unreserved)', () => {
    const reserved = ofType('AWS::Lambda::Function').reduce(
      (sum, [, fn]) => sum + (fn.Properties.ReservedConcurrentExecutions ?? 0),
      0,
    );
    expect(reserved).toBeLessThanOrEqual(1000 - 100);
  });
});

describe('topology values AWS advises', () => {
  it.each(Object.entries(queues))(
    '%s: SQS visibility timeout is at least 6 × its consumer function timeout',
    (_name, queue) => {
      expect(queue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
        6 * (specOf(queue.consumer).timeoutSeconds ?? 10),
      );
    },
  );

  it('at most two readers poll each DynamoDB stream shard; the redrive functions read only ranges of parked batches', () => {
    const pollers = (table: string) =>
      streamConsumers.filter((c) => c.table === table).map((c) => c.function);
    for (const table of Object.keys(tables)) expect(pollers(table).length, table).toBeLessThanOrEqual(2);
    expect(pollers('aggregates').sort()).toEqual(['outbox-publisher', 'projector']);
    // Not pollers: each reads the sequence range of one parked batch when its queue delivers it
    // (README "Recovery: outages and crashes"), i.e. only after a poller gave up on that batch.
    const rangeReaders = (Object.entries(functions) as [FunctionName, FunctionSpec][])
      .filter(([, spec]) => spec.readsStreams?.includes('aggregates'))
      .map(([name]) => name)
      .sort();
    expect(rangeReaders).toEqual(['outbox-redrive', 'projection-redrive']);
    expect(
      ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => JSON.stringify(m).includes('StreamArn')),
    ).toHaveLength(streamConsumers.length);
  });
});
