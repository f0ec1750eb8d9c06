import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { physicalTableNames } from '#local/local-stack';
import { resourceEnv } from '#topology';
import { client, eventually } from '../support/api-client.ts';
import { clearFaults, injectFault, invocations } from '../support/faults.ts';
import { plantedQuote } from '../support/planted-quote.ts';
import { useStackTables } from '../support/stack-tables.ts';

const api = client();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

beforeAll(useStackTables);

const plant = async (kind: 'QUOTE' | 'ORDER', aggregate: Record<string, unknown>) => {
  const id = `${kind === 'QUOTE' ? 'q' : 'o'}-${randomUUID()}`;
  await saveAggregate({
    kind,
    id,
    expectedVersion: 0,
    aggregate:
      kind === 'QUOTE' ? plantedQuote(id, aggregate) : { id, channelId: 'sales-portal', ...aggregate },
    events: [],
    correlationId: 'planted-by-test',
    now: hoursAgo(3),
    attributes: { state: String(aggregate.state) },
  });
  return id;
};

const start = (body: Record<string, unknown>, key?: string) =>
  api.post('/ops/reconciliation-runs', body, { token: 'local-ops', key });

/** Answered 202 at once; the run is its own workflow execution, read until it is over. */
const finished = (runId: string) =>
  eventually(async () => {
    const run = await api.get(`/ops/reconciliation-runs/${runId}`, { token: 'local-ops' });
    expect(run.status).toBe(200);
    return run.body.status === 'RUNNING' ? undefined : run.body;
  }, 300);

const runFindings = async (body: Record<string, unknown>) => {
  const started = await start(body);
  expect(started.status).toBe(202);
  expect(started.body.status).toBe('RUNNING');
  return finished(started.body.runId);
};

describe('reconciliation runs over HTTP', () => {
  it('finds an accepted quote never converted; run and finding carry the evidence fields', async () => {
    const quoteId = await plant('QUOTE', { state: 'accepted', acceptance: { acceptedAt: hoursAgo(3) } });
    const run = await runFindings({ quoteIds: [quoteId], checks: ['accepted-quote-converted'] });
    expect(run).toMatchObject({
      id: expect.any(String),
      status: 'COMPLETED',
      scope: { quoteIds: [quoteId] },
      driftCount: 1,
    });
    expect(run.findings[0]).toMatchObject({
      runId: run.id,
      scope: expect.any(String),
      sourceRecord: { type: 'Quote', id: quoteId, state: 'accepted' },
      counterpartRecord: null,
      difference: expect.any(String),
      classification: 'ACCEPTED_QUOTE_NOT_CONVERTED',
      repairDecision: { mode: 'MANUAL', action: expect.any(String) },
      actor: expect.stringContaining('ops'),
      detectedAt: expect.any(String),
      resultingState: 'OPEN',
    });
  });

  it('finds an order never started and a task the downstream completed behind the OMS', async () => {
    const correlationId = `ful-${randomUUID()}`;
    const taskId = 't-access';
    const orderId = await plant('ORDER', {
      state: 'inProgress',
      orderDate: hoursAgo(3),
      // Changed just now: not stranded, so the run does not restart it.
      updatedAt: new Date().toISOString(),
      plan: { taskIds: [] },
      tasks: [
        {
          id: taskId,
          orderItemId: 'item-1',
          type: 'ACCESS_PROVISION',
          action: 'add',
          downstream: 'provisioning',
          correlationId,
          state: 'PENDING',
          attempts: 0,
        },
      ],
    });
    const stuckId = await plant('ORDER', { state: 'acknowledged', orderDate: hoursAgo(3), tasks: [] });
    // Plant the drift in the simulator: the downstream did the work the OMS does not know about.
    const internal = (await api.get('/health', { token: 'local-ops' })).body.components.internalServices
      .endpoint;
    const sent = await client(internal).post('/downstream/provisioning/requests', {
      correlationId,
      orderId,
      taskId,
      action: 'add',
      payload: {},
    });
    expect(sent.status).toBe(201);
    const run = await runFindings({
      orderIds: [orderId, stuckId],
      checks: ['order-execution-started', 'task-vs-downstream'],
    });
    const found = run.findings.map((f: any) => `${f.classification}:${f.sourceRecord.id}`).sort();
    expect(found).toEqual(
      [`OMS_BEHIND_DOWNSTREAM:${taskId}`, `ORDER_EXECUTION_NOT_STARTED:${stuckId}`].sort(),
    );
    const behind = run.findings.find((f: any) => f.classification === 'OMS_BEHIND_DOWNSTREAM');
    expect(behind.counterpartRecord).toMatchObject({
      system: 'provisioning',
      id: sent.body.downstreamRef,
      state: 'COMPLETED',
    });
  });

  it('finds OMS done with nothing downstream, and a fulfilled item without billing', async () => {
    const orderId = await plant('ORDER', {
      state: 'completed',
      orderDate: hoursAgo(3),
      plan: { taskIds: [] },
      tasks: [
        {
          id: 't-access',
          orderItemId: 'item-1',
          type: 'ACCESS_PROVISION',
          action: 'add',
          downstream: 'provisioning',
          correlationId: `ful-${randomUUID()}`,
          state: 'DONE',
          attempts: 1,
          completedAt: hoursAgo(2),
        },
      ],
    });
    const run = await runFindings({
      orderIds: [orderId],
      checks: ['task-vs-downstream', 'fulfilled-item-billed'],
    });
    expect(run.findings.map((f: any) => f.classification).sort()).toEqual([
      'DOWNSTREAM_MISSING_SIDE_EFFECT',
      'FULFILLED_WITHOUT_BILLING',
    ]);
  });

  it('finds a projection row that drifted from source and repairs it', async () => {
    // A quote whose events are an hour old (past the projection grace), projected by the stack.
    const quoteId = `q-${randomUUID()}`;
    const validFor = { startDateTime: hoursAgo(1), endDateTime: hoursAgo(-24 * 5) };
    await saveAggregate({
      kind: 'QUOTE',
      id: quoteId,
      expectedVersion: 0,
      aggregate: plantedQuote(quoteId, { state: 'approved', validFor }),
      events: [
        {
          eventType: 'QuoteCreateEvent',
          domain: 'quote',
          resource: {
            id: quoteId,
            state: 'approved',
            channelId: 'sales-portal',
            accountId: `acct-${randomUUID()}`,
            currency: 'USD',
            validFor,
          },
        },
      ],
      correlationId: 'planted',
      now: hoursAgo(1),
    });
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { documentClient } = await import('#plumbing/clients');
    const { loadPointer } = await import('#adapters/read-model-store');
    process.env[resourceEnv.tables.readModels] = physicalTableNames.readModels;
    // Wait for the projection, then plant the drift: the row disappears from the read model.
    const { active } = await loadPointer('expiring-quotes');
    const { loadRow } = await import('#adapters/read-model-store');
    await eventually(async () => ((await loadRow('expiring-quotes', active, quoteId)) ? true : undefined));
    const dropRow = () =>
      documentClient().send(
        new DeleteCommand({
          TableName: physicalTableNames.readModels,
          Key: { pk: `expiring-quotes#v${active}#${quoteId}`, sk: 'ROW' },
        }),
      );
    const run = await eventually(
      async () => {
        // The shared stack's scheduled reconciliation (every minute) may repair the drift first:
        // plant it again before each run of this test's own.
        await dropRow();
        const body = await runFindings({ quoteIds: [quoteId], checks: ['projection-vs-source'] });
        return body.findings.some((f: any) => f.counterpartRecord?.type === 'expiring-quotes')
          ? body
          : undefined;
      },
      20,
      300,
    );
    const finding = run.findings.find((f: any) => f.counterpartRecord?.type === 'expiring-quotes');
    expect(finding).toMatchObject({
      classification: 'PROJECTION_DRIFT',
      repairDecision: { mode: 'AUTO' },
      resultingState: 'REPAIRED',
    });
    expect(await loadRow('expiring-quotes', active, quoteId)).toBeDefined();
  });

  it('a full run is its own execution of the reconciliation state machine, over segments, with progress', async () => {
    const stuckId = await plant('ORDER', { state: 'acknowledged', orderDate: hoursAgo(3), tasks: [] });
    const started = await start({ checks: ['order-execution-started', 'accepted-quote-converted'] });
    expect(started.status).toBe(202);
    const runId = started.body.runId as string;
    const executions = await api.get('/ops/local/executions', { token: 'local-ops' });
    const execution = executions.body.executions.find((e: any) => e.name === runId);
    expect(execution.stateMachineArn).toContain('reconciliation');
    const run = await finished(runId);
    expect(run).toMatchObject({
      status: 'COMPLETED',
      segments: expect.arrayContaining(['quote#00', 'order#07']),
      progress: { segments: 16, segmentsDone: 16 },
    });
    expect(run.progress.aggregatesExamined).toBeGreaterThan(0);
    const notStarted = run.checks.find((c: any) => c.check === 'order-execution-started');
    expect(notStarted.examined).toBeGreaterThan(0);
    expect(run.driftCount).toBeGreaterThanOrEqual(1);
    if (run.findingsTruncated === undefined)
      expect(run.findings.some((f: any) => f.sourceRecord.id === stuckId)).toBe(true);
  });

  it('is idempotent by key, ops only, and answers 404 for an unknown run', async () => {
    const key = randomUUID();
    const body = { checks: ['order-execution-started'], orderIds: [] };
    const first = await start(body, key);
    const second = await start(body, key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.runId).toBe(first.body.runId);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await api.post('/ops/reconciliation-runs', {}, { token: 'local-sales' })).status).toBe(403);
    expect(
      (await api.get(`/ops/reconciliation-runs/${first.body.runId}`, { token: 'local-sales' })).status,
    ).toBe(403);
    expect((await api.get('/ops/reconciliation-runs/nope', { token: 'local-ops' })).status).toBe(404);
    expect((await start({ checks: ['bogus'] })).status).toBe(400);
  });

  it('a step that hangs past its function timeout fails as Lambda.Unknown and the workflow’s retry runs it again', async () => {
    const quoteId = await plant('QUOTE', { state: 'accepted', acceptance: { acceptedAt: hoursAgo(3) } });
    const counts = async () => {
      const all = await invocations();
      return {
        plan: all['reconciliation-plan'] ?? { count: 0, errors: 0 },
        scheduled: all['reconciliation-run']?.count ?? 0,
      };
    };
    // The local schedule starts a run every minute; one that starts meanwhile also calls the plan
    // function (and may take the fault), so an attempt it overlaps is measured again.
    for (let attempt = 1; ; attempt++) {
      const before = await counts();
      // Longer than the plan function's 10 s timeout, once (as an FIS startup delay would).
      await injectFault('functions', { startupDelayMilliseconds: 12_000, count: 1 }, 'reconciliation-plan');
      try {
        const run = await runFindings({ quoteIds: [quoteId], checks: ['accepted-quote-converted'] });
        expect(run).toMatchObject({ status: 'COMPLETED', driftCount: 1 });
      } finally {
        await clearFaults();
      }
      const after = await counts();
      if (after.scheduled !== before.scheduled && attempt < 3) continue;
      expect(after.plan.errors - before.plan.errors).toBe(1);
      expect(after.plan.count - before.plan.count).toBe(2);
      break;
    }
  }, 150_000);
});
