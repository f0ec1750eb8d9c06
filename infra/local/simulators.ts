import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { TableSpec } from '#topology';
import { BillingSubscriptions } from './billing-subscriptions.ts';

/** What the simulated downstreams really did; indexed by correlation id (queries) and order (ops lists). */
export const simulatorTable = 'local-downstream-effects';
/** Every attribute of a side effect: both indexes serve the whole record. */
const effectAttributes = [
  'system',
  'ref',
  'taskId',
  'action',
  'status',
  'receivedAt',
  'committedAt',
  'idempotencyKey',
  'payload',
];
export const simulatorTableSpec: TableSpec = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    {
      indexName: 'byCorrelation',
      partitionKey: 'correlationId',
      sortKey: 'sk',
      projection: ['orderId', ...effectAttributes],
    },
    {
      indexName: 'byOrder',
      partitionKey: 'orderId',
      sortKey: 'sk',
      projection: ['correlationId', ...effectAttributes],
    },
  ],
};
export const downstreamSystems = ['provisioning', 'billing'] as const;
export type DownstreamSystem = (typeof downstreamSystems)[number];

export const faultSchema = z.object({
  mode: z.enum([
    'none',
    'timeout-after-accept',
    'lose-response',
    'error-5xx',
    'reject',
    'slow',
    'commit-late',
    'long-running',
  ]),
  count: z.number().int().min(0).max(100_000).default(1),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  /** commit-late: a random extra lag of up to this much per request, as load spreads commit times. */
  jitterMs: z.number().int().min(0).max(60_000).optional(),
  /** long-running: the downstream's own time to finish (scaled by the stack's downstream time scale). */
  durationSeconds: z
    .number()
    .min(0)
    .max(365 * 86_400)
    .optional(),
  /** long-running: a progress notice this often (downstream seconds); none when absent. */
  progressEverySeconds: z
    .number()
    .min(1)
    .max(365 * 86_400)
    .optional(),
  /** long-running: whether it calls back when done; without, only a query finds the outcome. */
  callback: z.boolean().optional(),
  /** long-running: complete, fail late, or stall (accepted, then never a word or a change). */
  outcome: z.enum(['complete', 'fail', 'stall']).optional(),
});
export type Fault = z.infer<typeof faultSchema>;

export type SideEffect = {
  system: DownstreamSystem;
  ref: string;
  correlationId: string;
  orderId: string;
  taskId: string;
  action: string;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  receivedAt: string;
  /** When it became visible to queries (commit-late: a while after it was received). */
  committedAt: string;
  /** The `Idempotency-Key` header the caller sent (recorded, deliberately not used to dedupe). */
  idempotencyKey?: string;
  payload: Record<string, unknown>;
};

/** A fault the simulator cannot honour without breaking its own in-flight window. */
export class FaultOutsideWindow extends Error {
  override readonly name = 'FaultOutsideWindow';
}

/** Where a long-running simulator sends its notices, and how much its clock is compressed. */
export type CallbackTarget = { url: string; token: string; timeScale: number };

export type SimReply = { status: number; body?: unknown; delayMs?: number; neverAnswer?: boolean };

const requestSchema = z.object({
  correlationId: z.string().min(1),
  orderId: z.string().min(1),
  taskId: z.string().min(1),
  action: z.string().min(1),
  payload: z.record(z.string(), z.unknown()).default({}),
});

/**
 * A downstream system (provisioning or billing) as many real ones are: it does not deduplicate
 * repeated requests (it records the `Idempotency-Key` it got, but ignores it), so only the
 * caller's query-before-retry keeps each side effect single. Under load it commits late
 * (`commit-late`): a request is invisible to queries for a while after it arrived, never longer
 * than its in-flight window. What it really did is kept in DynamoDB, so a restart does not forget it.
 */
export class DownstreamSimulator {
  private fault: Fault = { mode: 'none', count: 0 };
  /** Late answers still in flight, so shutdown can wait for them. */
  calls = 0;
  /** Timers of accepted long-running work (cleared on stop). */
  private readonly work = new Set<NodeJS.Timeout>();
  /** Billing only: the subscriptions its completed requests opened and changed. */
  readonly subscriptions: BillingSubscriptions | undefined;

  constructor(
    readonly system: DownstreamSystem,
    private readonly doc: DynamoDBDocumentClient,
    private readonly lateAnswerMs: number,
    /** Its promise to callers: a request it received is recorded within this long, or never. */
    readonly inFlightWindowMs: number,
    private readonly callbacks?: CallbackTarget,
  ) {
    this.subscriptions = system === 'billing' ? new BillingSubscriptions(doc, simulatorTable) : undefined;
  }

  /** What a completed request does to the system's own records (billing: its subscriptions). */
  private async completed(effect: SideEffect): Promise<void> {
    await this.subscriptions?.apply({
      orderId: effect.orderId,
      payload: effect.payload,
      at: new Date().toISOString(),
    });
  }

  /** Stops every long-running job (the stack is stopping). */
  stopWork(): void {
    for (const t of this.work) clearTimeout(t);
    this.work.clear();
  }

  setFault(fault: Fault): void {
    if (fault.mode === 'commit-late') {
      const latest = (fault.delayMs ?? 0) + (fault.jitterMs ?? 0);
      if (latest >= this.inFlightWindowMs) {
        throw new FaultOutsideWindow(
          `commit-late delayMs + jitterMs (${latest}) must stay below the in-flight window (${this.inFlightWindowMs} ms)`,
        );
      }
    }
    this.fault = fault;
  }

  get currentFault(): Fault {
    return this.fault;
  }

  private takeFault(): Fault['mode'] {
    if (this.fault.mode === 'none' || this.fault.count <= 0) return 'none';
    this.fault = { ...this.fault, count: this.fault.count - 1 };
    const mode = this.fault.mode;
    if (this.fault.count === 0) this.fault = { mode: 'none', count: 0 };
    return mode;
  }

  async request(body: unknown, idempotencyKey?: string): Promise<SimReply> {
    this.calls++;
    const parsed = requestSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: { code: 'BAD_REQUEST', message: parsed.error.message } };
    const delayMs = this.fault.delayMs ?? 500;
    const commitLagMs = delayMs + Math.floor(Math.random() * ((this.fault.jitterMs ?? 0) + 1));
    const receivedAt = new Date().toISOString();
    const fault = this.fault;
    const mode = this.takeFault();
    if (mode === 'error-5xx')
      return { status: 503, body: { code: 'UNAVAILABLE', message: 'Injected outage' } };
    if (mode === 'reject') {
      return {
        status: 422,
        body: { code: 'REJECTED', message: `${this.system} rejected the request (injected)` },
      };
    }
    // The record is written at receipt and becomes visible to queries at `committedAt`: the
    // promise to commit within the in-flight window holds however late a busy event loop runs
    // this simulator's timers or its write (a sleep before the write broke it under load).
    const lagMs = mode === 'commit-late' ? commitLagMs : 0;
    const effect: SideEffect = {
      system: this.system,
      ref: `${this.system.slice(0, 4)}-${randomUUID()}`,
      correlationId: parsed.data.correlationId,
      orderId: parsed.data.orderId,
      taskId: parsed.data.taskId,
      action: parsed.data.action,
      status: mode === 'slow' || mode === 'long-running' ? 'IN_PROGRESS' : 'COMPLETED',
      receivedAt,
      committedAt: new Date(Date.parse(receivedAt) + lagMs).toISOString(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      payload: parsed.data.payload,
    };
    await this.doc.send(
      new PutCommand({
        TableName: simulatorTable,
        Item: { pk: this.system, sk: `${effect.receivedAt}#${effect.ref}`, ...effect },
      }),
    );
    if (lagMs > 0) await new Promise((r) => setTimeout(r, lagMs));
    if (effect.status === 'COMPLETED') await this.completed(effect);
    const answer = { downstreamRef: effect.ref, status: 'COMPLETED', correlationId: effect.correlationId };
    switch (mode) {
      case 'long-running':
        this.runLong(effect, fault);
        return { status: 202, body: { ...answer, status: 'ACCEPTED' } };
      case 'timeout-after-accept':
        return { status: 201, body: answer, delayMs: this.lateAnswerMs };
      case 'lose-response':
        return { status: 201, neverAnswer: true };
      case 'slow':
        await new Promise((r) => setTimeout(r, delayMs));
        await this.doc.send(
          new UpdateCommand({
            TableName: simulatorTable,
            Key: { pk: this.system, sk: `${effect.receivedAt}#${effect.ref}` },
            UpdateExpression: 'SET #s = :c',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':c': 'COMPLETED' },
          }),
        );
        await this.completed(effect);
        return { status: 201, body: answer };
      default:
        return { status: 201, body: answer };
    }
  }

  private later(ms: number, job: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.work.delete(timer);
      job().catch(() => undefined);
    }, ms);
    this.work.add(timer);
  }

  /** Accepted work: progress notices on its way, then completion or a late failure (or nothing: a stall). */
  private runLong(effect: SideEffect, fault: Fault): void {
    const scale = this.callbacks?.timeScale ?? 1;
    const durationMs = (fault.durationSeconds ?? 3600) * 1000 * scale;
    if (fault.outcome === 'stall') return;
    const callsBack = fault.callback !== false;
    if (fault.progressEverySeconds && callsBack) {
      const everyMs = Math.max(50, fault.progressEverySeconds * 1000 * scale);
      for (let i = 1; i * everyMs < durationMs && i <= 50; i++) {
        this.later(i * everyMs, () =>
          this.notify(effect, { status: 'PROGRESS', sequence: i, message: `step ${i}` }),
        );
      }
    }
    this.later(durationMs, async () => {
      const status = fault.outcome === 'fail' ? 'FAILED' : 'COMPLETED';
      await this.doc.send(
        new UpdateCommand({
          TableName: simulatorTable,
          Key: { pk: this.system, sk: `${effect.receivedAt}#${effect.ref}` },
          UpdateExpression: 'SET #s = :c',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':c': status },
        }),
      );
      if (status === 'COMPLETED') await this.completed(effect);
      if (callsBack) {
        await this.notify(effect, {
          status,
          ...(status === 'COMPLETED'
            ? { evidence: { completedBy: this.system } }
            : { message: 'failed late' }),
        });
      }
    });
  }

  /** A notice to the order system's callback endpoint, authenticated as this downstream. */
  private async notify(effect: SideEffect, notice: Record<string, unknown>): Promise<void> {
    if (!this.callbacks) return;
    const body = { correlationId: effect.correlationId, reference: effect.ref, ...notice };
    await fetch(
      `${this.callbacks.url}/callbacks/orders/${encodeURIComponent(effect.orderId)}/tasks/${encodeURIComponent(effect.taskId)}`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${this.callbacks.token}`,
          'Idempotency-Key': `${effect.ref}:${String(notice.status)}:${String(notice.sequence ?? 0)}`,
        },
        body: JSON.stringify(body),
      },
    );
  }

  async records(filter: { orderId?: string; correlationId?: string } = {}): Promise<SideEffect[]> {
    const index = filter.correlationId
      ? { IndexName: 'byCorrelation', key: 'correlationId', value: filter.correlationId }
      : filter.orderId
        ? { IndexName: 'byOrder', key: 'orderId', value: filter.orderId }
        : { key: 'pk', value: this.system };
    const out: SideEffect[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: simulatorTable,
          ...(index.IndexName ? { IndexName: index.IndexName } : {}),
          KeyConditionExpression: '#k = :v',
          ExpressionAttributeNames: { '#k': index.key },
          ExpressionAttributeValues: { ':v': index.value },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const { pk, sk: _sk, ...effect } = item;
        if (pk === this.system) out.push(effect as SideEffect);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out.filter(
      (e) =>
        (!filter.orderId || e.orderId === filter.orderId) &&
        (!filter.correlationId || e.correlationId === filter.correlationId),
    );
  }

  /** Query by correlation id: what the downstream knows of that request, with every reference it made. */
  async query(correlationId: string): Promise<SimReply> {
    const now = new Date().toISOString();
    const found = (await this.records({ correlationId })).filter((e) => e.committedAt <= now);
    if (found.length === 0) return { status: 404, body: { code: 'NOT_FOUND', correlationId } };
    const completed = found.filter((e) => e.status === 'COMPLETED');
    const effect = completed[0] ?? found[0]!;
    return {
      status: 200,
      body: {
        correlationId,
        status: completed.length > 0 ? 'COMPLETED' : 'IN_PROGRESS',
        downstreamRef: effect.ref,
        completedRefs: completed.map((e) => e.ref),
        count: found.length,
      },
    };
  }
}
