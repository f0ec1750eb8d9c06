import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { loadPointer, loadRow, rowKey } from '#adapters/read-model-store';
import { loadRun, processSegment, type RunScope, runWithProgress } from '#commands/reconciliation-runs';
import type { QuoteSummaryRow } from '#domain/projections/quote-summary';
import { handler } from '#functions/streams/projector';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { reconcileBySteps, reconcileOnShortClock } from '../support/reconcile-steps.ts';
import { insertRecord, lambdaContext, outboxItems, saveQuoteLife, streamEvent } from './stream-support.ts';

/** A downstream that completed exactly the correlation ids in `completed`; it never answers for `hang-…` ones. */
const completed = new Set<string>();
const asked: string[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    const cid = decodeURIComponent(req.url?.split('/requests/')[1] ?? '');
    asked.push(cid);
    if (cid.startsWith('hang-')) return;
    res.setHeader('Content-Type', 'application/json');
    if (completed.has(cid)) {
      res.writeHead(200).end(JSON.stringify({ status: 'COMPLETED', downstreamRef: `ref-${cid}`, count: 1 }));
    } else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  process.env.PROVISIONING_URL = `http://127.0.0.1:${port}/provisioning`;
  process.env.BILLING_URL = `http://127.0.0.1:${port}/billing`;
  process.env.RECON_PROJECTION_GRACE_MS = '0';
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const plantOrder = async (order: Record<string, unknown>) => {
  const id = `o-${randomUUID()}`;
  await saveAggregate({
    kind: 'ORDER',
    id,
    expectedVersion: 0,
    aggregate: {
      id,
      channelId: 'sales-portal',
      accountId: 'acct',
      quoteId: `q-${randomUUID()}`,
      orderDate: hoursAgo(2),
      tasks: [],
      ...order,
    },
    events: [],
    correlationId: 'plant',
    now: hoursAgo(2),
  });
  return id;
};

const task = (over: Record<string, unknown>) => ({
  id: `t-${randomUUID()}`,
  orderItemId: 'item-1',
  type: 'ACCESS_PROVISION',
  action: 'add',
  downstream: 'provisioning',
  correlationId: `ful-${randomUUID()}`,
  state: 'PENDING',
  attempts: 0,
  ...over,
});

const run = async (scope: RunScope) => {
  const result = await reconcileBySteps(scope);
  return { run: result.run! };
};

describe('reconciliation against DynamoDB Local and a downstream', () => {
  it('finds an accepted quote not converted, records the run with every field of a finding', async () => {
    const id = `q-${randomUUID()}`;
    await saveAggregate({
      kind: 'QUOTE',
      id,
      expectedVersion: 0,
      aggregate: { id, state: 'accepted', channelId: 'c', acceptance: { acceptedAt: hoursAgo(3) } },
      events: [],
      correlationId: 'plant',
      now: hoursAgo(3),
    });
    const { run: result } = await run({ quoteIds: [id], checks: ['accepted-quote-converted'] });
    expect(result.status).toBe('COMPLETED');
    expect(result.driftCount).toBe(1);
    const stored = await loadRun(result.id);
    expect(stored?.findings[0]).toMatchObject({
      runId: result.id,
      scope: expect.any(String),
      sourceRecord: { type: 'Quote', id },
      counterpartRecord: null,
      difference: expect.any(String),
      classification: 'ACCEPTED_QUOTE_NOT_CONVERTED',
      repairDecision: { mode: 'MANUAL' },
      actor: 'ops:test',
      detectedAt: expect.any(String),
      resultingState: 'OPEN',
    });
  });

  it('finds orders no execution drives, and task states that disagree with the downstream', async () => {
    const notStarted = await plantOrder({ state: 'acknowledged' });
    const behind = task({ state: 'PENDING' });
    completed.add(behind.correlationId as string);
    const missing = task({ state: 'DONE', completedAt: hoursAgo(0.1) });
    const agreeing = task({ state: 'DONE' });
    completed.add(agreeing.correlationId as string);
    const drifting = await plantOrder({
      state: 'inProgress',
      plan: { taskIds: [] },
      tasks: [behind, missing, agreeing],
    });
    const { run: result } = await run({
      orderIds: [notStarted, drifting],
      checks: ['order-execution-started', 'task-vs-downstream'],
    });
    const classes = result.findings.map((f) => `${f.classification}:${f.sourceRecord.id}`).sort();
    expect(classes).toEqual(
      [
        `ORDER_EXECUTION_NOT_STARTED:${notStarted}`,
        `ORDER_EXECUTION_STRANDED:${drifting}`,
        `OMS_BEHIND_DOWNSTREAM:${behind.id}`,
        `DOWNSTREAM_MISSING_SIDE_EFFECT:${missing.id}`,
      ].sort(),
    );
    // No Step Functions here: running executions cannot be listed, so nothing is restarted.
    const stranded = result.findings.filter((f) => f.check === 'order-execution-started');
    for (const f of stranded) {
      expect(f).toMatchObject({
        counterpartRecord: { state: 'UNVERIFIED' },
        repairDecision: { mode: 'MANUAL' },
        resultingState: 'OPEN',
      });
    }
    expect(result.checks.find((c) => c.check === 'order-execution-started')).toMatchObject({
      findings: 2,
      unverified: 2,
    });
    expect(result.checks.find((c) => c.check === 'task-vs-downstream')).toMatchObject({
      examined: 3,
      findings: 2,
    });
  });

  it('finds a fulfilled item without billing', async () => {
    const id = await plantOrder({
      state: 'completed',
      plan: { taskIds: [] },
      tasks: [
        task({ state: 'DONE', completedAt: hoursAgo(2) }),
        task({ type: 'BILLING_HANDOFF', downstream: 'billing', orderItemId: 'order', state: 'FAILED' }),
      ],
    });
    const { run: result } = await run({ orderIds: [id], checks: ['fulfilled-item-billed'] });
    expect(result.findings.map((f) => f.classification)).toEqual(['FULFILLED_WITHOUT_BILLING']);
  });

  it('finds a tampered projection row and repairs it from source (declared safe), recording it', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveQuoteLife({
      quoteId,
      accountId: `acct-${randomUUID()}`,
      channelId: 'partner-a',
      until: 'pending',
    });
    await handler(streamEvent((await outboxItems('QUOTE', quoteId)).map(insertRecord)), lambdaContext());
    const { active } = await loadPointer('approval-inbox');
    const good = await loadRow<QuoteSummaryRow>('approval-inbox', active, quoteId);
    // Plant: someone edited the read model directly.
    await documentClient().send(
      new PutCommand({
        TableName: env.table('readModels'),
        Item: {
          ...rowKey('approval-inbox', active, quoteId),
          revision: good!.revision + 1,
          sourceVersion: good!.sourceVersion,
          data: { ...good!.row, state: 'approved' },
        },
      }),
    );
    const { run: result } = await run({ quoteIds: [quoteId], checks: ['projection-vs-source'] });
    const drift = result.findings.filter((f) => f.classification === 'PROJECTION_DRIFT');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({
      counterpartRecord: { type: 'approval-inbox', id: quoteId },
      repairDecision: { mode: 'AUTO' },
      resultingState: 'REPAIRED',
    });
    const repaired = await loadRow<QuoteSummaryRow>('approval-inbox', active, quoteId);
    expect(repaired?.row.state).toBe('pending');
    expect(repaired?.listed).toBe(true);
    const again = await run({ quoteIds: [quoteId], checks: ['projection-vs-source'] });
    expect(again.run.driftCount).toBe(0);
  });

  it('finds a row missing from the projection and restores it from source', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveQuoteLife({
      quoteId,
      accountId: `acct-${randomUUID()}`,
      channelId: 'partner-a',
      until: 'approved',
    });
    await handler(streamEvent((await outboxItems('QUOTE', quoteId)).map(insertRecord)), lambdaContext());
    const { active } = await loadPointer('expiring-quotes');
    await documentClient().send(
      new DeleteCommand({
        TableName: env.table('readModels'),
        Key: rowKey('expiring-quotes', active, quoteId),
      }),
    );
    const { run: result } = await run({ quoteIds: [quoteId], checks: ['projection-vs-source'] });
    expect(result.status).toBe('COMPLETED');
    expect(result.findings).toMatchObject([
      {
        classification: 'PROJECTION_DRIFT',
        counterpartRecord: { type: 'expiring-quotes', id: quoteId },
        resultingState: 'REPAIRED',
      },
    ]);
    expect((await loadRow<QuoteSummaryRow>('expiring-quotes', active, quoteId))?.row.state).toBe('approved');
  });

  it('a run id is recorded once: a second start with the same id returns the first run', async () => {
    const runId = `sched-${randomUUID()}`;
    const first = await reconcileBySteps({ checks: ['order-execution-started'], orderIds: [] }, { runId });
    const second = await reconcileBySteps({ checks: ['order-execution-started'], orderIds: [] }, { runId });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.run!.id).toBe(runId);
    expect((await loadRun(runId))?.status).toBe('COMPLETED');
  });

  it('a run over every order walks checkpointed segments and resumes after a crash without re-counting', async () => {
    const planted = new Set<string>();
    for (let i = 0; i < 12; i++) planted.add(await plantOrder({ state: 'acknowledged' }));
    process.env.RECON_PAGE_SIZE = '3';
    process.env.RECON_PAGES_PER_INVOCATION = '1';
    try {
      const runId = `recon-${randomUUID()}`;
      const scope: RunScope = { checks: ['order-execution-started'] };
      // Crash: the process dies after three pages; the checkpoints stay.
      const crashed = await reconcileBySteps(scope, { runId, stopAfterPages: 3 });
      expect(crashed.run).toBeUndefined();
      const midway = await runWithProgress(runId);
      expect(midway).toMatchObject({ status: 'RUNNING', progress: { segments: 8, pages: 3 } });
      // Restarted with the same run id: the plan keeps the checkpoints, segments go on from them.
      const resumed = await reconcileBySteps(scope, { runId });
      expect(resumed.created).toBe(false);
      const done = await runWithProgress(runId);
      expect(done?.status).toBe('COMPLETED');
      expect(done?.progress).toMatchObject({ segments: 8, segmentsDone: 8 });
      expect(done!.progress!.pages).toBeGreaterThan(3);
      const found = done!.findings.filter((f) => planted.has(f.sourceRecord.id));
      expect(found.map((f) => f.sourceRecord.id).sort()).toEqual([...planted].sort());
      const summary = done!.checks.find((c) => c.check === 'order-execution-started')!;
      // Each order examined once: the summary counts what the segments' checkpoints counted.
      expect(summary.examined).toBe(done!.progress!.aggregatesExamined);
      // A late duplicate invocation of a finished segment changes nothing.
      const again = await processSegment(runId, 'order#00', { remainingMs: () => 60_000 });
      expect(again).toEqual({ done: true, pages: 0 });
    } finally {
      delete process.env.RECON_PAGE_SIZE;
      delete process.env.RECON_PAGES_PER_INVOCATION;
    }
  });

  it('a page over a hanging downstream stops at the time left and resumes from its cut: each task asked once, the run completes', async () => {
    const hanging = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const tasks = Array.from({ length: 3 }, () =>
        task({ state: 'DONE', correlationId: `hang-${randomUUID()}` }),
      );
      for (const t of tasks) hanging.add(t.correlationId);
      await plantOrder({ state: 'inProgress', tasks });
    }
    Object.assign(process.env, { DOWNSTREAM_TIMEOUT_MS: '200', RECON_CHECKPOINT_RESERVE_MS: '1' });
    try {
      // Each look at the clock finds 250 ms gone: 6 queries start before the reserve (201 ms).
      const { run, queriesPerInvocation } = await reconcileOnShortClock(
        { checks: ['task-vs-downstream'] },
        asked,
      );
      expect(run.status).toBe('COMPLETED');
      // At most the 6 started before the reserve, plus the rest of an order already started (other
      // files' orders share the table, so a page's orders need not start at a multiple of 3).
      expect(Math.max(...queriesPerInvocation)).toBeLessThanOrEqual(6 + 2);
      for (const cid of hanging)
        expect(
          asked.filter((a) => a === cid),
          cid,
        ).toHaveLength(1);
      const summary = run.checks.find((c) => c.check === 'task-vs-downstream')!;
      expect(summary.unverified).toBeGreaterThanOrEqual(hanging.size);
    } finally {
      delete process.env.DOWNSTREAM_TIMEOUT_MS;
      delete process.env.RECON_CHECKPOINT_RESERVE_MS;
    }
  });
});
