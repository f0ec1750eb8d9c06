/**
 * Bulkhead bench (requirements 000 §13): while one partner floods order creation, do the critical low-volume
 * control flows keep their latency? Measures, in one run against one `npm start` process, the p95
 * of cancellation, approval decision and repair when idle and under the flood, and reports
 * flood ÷ idle per flow (ratios, since absolute numbers depend on the machine), with what the
 * flood got (created, throttled by order-create's reserved concurrency, other answers).
 *
 *   npm run bench:bulkhead            (BENCH_SAMPLES, BENCH_FLOOD_CLIENTS to change the sizes)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { api, functions } from '#topology';
import { startStackProcess } from '../test/support/local-stack-process.ts';

const samples = Number(process.env.BENCH_SAMPLES ?? 40);
const floodClients = Number(process.env.BENCH_FLOOD_CLIENTS ?? 32);
/** Distinct accepted quotes for the flood, so (nearly) every flood request creates a real order. */
const floodQuoteCount = Number(process.env.BENCH_FLOOD_QUOTES ?? 150);
const ordersPath = '/tmf-api/productOrderingManagement/v4';
const pauseMs = 250;
const floodWarmupMs = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of several resources, read by field.
type Reply = Record<string, any>;

const stack = await startStackProcess(['--time-scale', '0.05', '--log-level', 'ERROR']);
/** Status 0: the connection itself failed (the stack did not accept it in time). */
const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...(method === 'POST' ? { 'Idempotency-Key': randomUUID() } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => undefined);
  if (!res) return { status: 0, body: {} as Reply, retryAfterSeconds: 0 };
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Reply) : {},
    retryAfterSeconds: Number(res.headers.get('retry-after') ?? 0),
  };
};
/**
 * Preparation goes through the channels' real usage plans: a 429 is waited out (Retry-After) and
 * the request sent again, so the measured phases see the throttles AWS would apply.
 */
const must = async (
  send: () => Promise<{ status: number; body: Reply; retryAfterSeconds: number }>,
  ok: number[] = [200, 201],
) => {
  for (;;) {
    const r = await send();
    if (r.status === 429) {
      await new Promise((done) => setTimeout(done, 1000 * Math.max(1, r.retryAfterSeconds)));
      continue;
    }
    if (!ok.includes(r.status)) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
};
const eventually = async <T>(check: () => Promise<T | undefined>, attempts = 300): Promise<T> => {
  for (let i = 0; i < attempts; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met');
};

const quote = async (token: string, discountPercent: number) => {
  const q = await must(() =>
    call('POST', '/quotes', token, {
      customer: { accountId: `acct-${randomUUID().slice(0, 8)}`, name: 'Bench Co' },
      currency: 'USD',
      lines: [{ offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24 }, discountPercent }],
    }),
  );
  await must(() => call('POST', `/quotes/${q.id}/price`, token, {}));
  return (await must(() => call('POST', `/quotes/${q.id}/submit`, token, {}))) as {
    id: string;
    state: string;
    lines: { id: string }[];
  };
};
const accepted = async (token: string) => {
  const q = await quote(token, 5);
  await must(() => call('POST', `/quotes/${q.id}/accept`, token, {}));
  return q;
};
const order = async (token: string, q: { id: string; lines: { id: string }[] }) =>
  call('POST', `${ordersPath}/productOrder`, token, {
    quote: [{ id: q.id }],
    billingAccount: { id: 'ba-bench' },
    productOrderItem: q.lines.map((l, i) => ({ id: String(i + 1), action: 'add', quoteItem: { id: l.id } })),
  });

/** What each measured flow acts on, prepared before any measurement. */
const prepare = async () => {
  const pending = [];
  for (let i = 0; i < samples; i++) pending.push(await quote('local-sales', 20));
  await must(() => call('PUT', '/sim/billing/faults', 'local-ops', { mode: 'reject', count: samples }));
  const held: string[] = [];
  for (let i = 0; i < samples; i++) {
    const q = await accepted('local-sales');
    held.push((await must(() => order('local-sales', q))).id);
  }
  for (const id of held) {
    await eventually(async () =>
      (await call('GET', `${ordersPath}/productOrder/${id}`, 'local-sales')).body.state === 'held'
        ? true
        : undefined,
    );
  }
  await must(() => call('PUT', '/sim/billing/faults', 'local-ops', { mode: 'none', count: 0 }));
  // Cancellation targets: orders whose workflow could not start (StartExecution failing, local
  // faults API), so each cancellation is accepted and written, not refused past the point of no return.
  await must(() => call('PUT', '/ops/local/faults/start-execution', 'local-ops', {}));
  const cancellable: string[] = [];
  for (let i = 0; i < samples; i++) {
    const q = await accepted('local-sales');
    cancellable.push((await must(() => order('local-sales', q))).id);
  }
  await new Promise((r) => setTimeout(r, 3000));
  await must(() => call('DELETE', '/ops/local/faults/start-execution', 'local-ops'));
  return { pending, held, cancellable };
};

const timed = async (f: () => Promise<{ status: number }>) => {
  const started = performance.now();
  const r = await f();
  return { ms: performance.now() - started, status: r.status };
};

const flows = (targets: Awaited<ReturnType<typeof prepare>>, i: number) => ({
  cancellation: () =>
    call('POST', `${ordersPath}/cancelProductOrder`, 'local-sales', {
      productOrder: { id: targets.cancellable[i] },
      cancellationReason: 'bench',
    }),
  approvalDecision: () =>
    call('POST', `/quotes/${targets.pending[i]!.id}/approvals`, 'local-approver', {
      decision: 'APPROVE',
      comment: 'ok',
    }),
  repair: () =>
    call('POST', `/ops/orders/${targets.held[i]}/tasks/BILLING_HANDOFF/repair`, 'local-ops', {
      action: 'RETRY',
      reasonCode: 'BENCH',
    }),
});
type Flow = keyof ReturnType<typeof flows>;
const flowNames: Flow[] = ['cancellation', 'approvalDecision', 'repair'];

/**
 * The stack's ERROR log entries, whole: the logger prints each entry as one JSON document, on one
 * line or pretty-printed over several (`{` … `}` at the start of a line).
 */
const errorEntries = (output: string): Reply[] => {
  const entries: Reply[] = [];
  let open: string[] | undefined;
  const keep = (text: string) => {
    try {
      const entry = JSON.parse(text) as Reply;
      if (entry.level === 'ERROR')
        entries.push({
          message: entry.message,
          function: entry.function_name,
          operation: entry.operation,
          correlationId: entry.correlationId,
          error: entry.error && {
            name: entry.error.name,
            message: entry.error.message,
            stack: entry.error.stack,
          },
        });
    } catch {
      // Not a log entry (the stack's own banner lines).
    }
  };
  for (const line of output.split('\n')) {
    if (open) {
      open.push(line);
      if (line === '}') {
        keep(open.join('\n'));
        open = undefined;
      }
    } else if (line === '{') open = [line];
    else if (line.startsWith('{')) keep(line);
  }
  return entries;
};

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? 0;
};

/** One sample of each flow per round, flows interleaved so both phases see the same mix. */
const measure = async (targets: Awaited<ReturnType<typeof prepare>>, from: number) => {
  const out = Object.fromEntries(flowNames.map((f) => [f, [] as { ms: number; status: number }[]])) as Record<
    Flow,
    { ms: number; status: number }[]
  >;
  for (let i = 0; i < samples / 2; i++) {
    const f = flows(targets, from + i);
    for (const name of flowNames) {
      out[name].push(await timed(f[name]));
      // An operator's pace, so each phase spans long enough for the flood's work to build up.
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
  return out;
};

try {
  const targets = await prepare();
  // Flood material: accepted quotes of partner-a, so every flood request is a real new order.
  const floodQuotes: { id: string; lines: { id: string }[] }[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (floodQuotes.length < floodQuoteCount) floodQuotes.push(await accepted('local-partner-a'));
    }),
  );

  const idle = await measure(targets, 0);

  const flood = {
    requests: 0,
    created: 0,
    throttled: 0,
    other: {} as Record<number, number>,
    /** The first server errors the flood got, to diagnose (a 5xx is a defect). */
    serverErrors: [] as Reply[],
  };
  let flooding = true;
  let next = 0;
  const floodStarted = performance.now();
  const floodDone = Promise.all(
    Array.from({ length: floodClients }, async () => {
      while (flooding) {
        const q = floodQuotes[next++ % floodQuotes.length]!;
        const r = await order('local-partner-a', q);
        flood.requests++;
        if (r.status === 201) flood.created++;
        else if (r.status === 429) flood.throttled++;
        else flood.other[r.status] = (flood.other[r.status] ?? 0) + 1;
        if (r.status >= 500 && flood.serverErrors.length < 3) flood.serverErrors.push(r.body);
      }
    }),
  );
  // Measure once the admitted orders' fulfillment, projections and events are in full swing.
  await new Promise((r) => setTimeout(r, floodWarmupMs));
  const loaded = await measure(targets, samples / 2);
  flooding = false;
  await floodDone;
  const floodSeconds = (performance.now() - floodStarted) / 1000;

  const result = {
    at: new Date().toISOString(),
    command: 'npm run bench:bulkhead',
    machine: { cpus: cpus().length, model: cpus()[0]?.model },
    samplesPerFlowPerPhase: samples / 2,
    floodClients,
    floodQuotes: floodQuoteCount,
    /** The flooding partner's usage plan as deployed (the local gateway applies it at scale 1). */
    floodChannelPlan: api.usagePlans['partner-a'],
    reservedConcurrency: Object.fromEntries(
      Object.entries(functions)
        .filter(([, s]) => 'reservedConcurrency' in s)
        .map(([n, s]) => [n, (s as { reservedConcurrency?: number }).reservedConcurrency]),
    ),
    flood: {
      ...flood,
      seconds: Number(floodSeconds.toFixed(1)),
      requestsPerSecond: Number((flood.requests / floodSeconds).toFixed(1)),
    },
    flows: Object.fromEntries(
      flowNames.map((name) => {
        const idleP95 = p95(idle[name].map((s) => s.ms));
        const floodP95 = p95(loaded[name].map((s) => s.ms));
        const statuses = (xs: { status: number }[]) => {
          const counts: Record<number, number> = {};
          for (const x of xs) counts[x.status] = (counts[x.status] ?? 0) + 1;
          return counts;
        };
        return [
          name,
          {
            idleP95Ms: Number(idleP95.toFixed(1)),
            floodP95Ms: Number(floodP95.toFixed(1)),
            floodOverIdle: Number((floodP95 / idleP95).toFixed(2)),
            statuses: { idle: statuses(idle[name]), flood: statuses(loaded[name]) },
          },
        ];
      }),
    ),
  };
  const stackErrors = errorEntries(stack.output()).slice(0, 5);
  Object.assign(result, { stackErrors });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/bulkhead-latest.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stack.stop();
}
