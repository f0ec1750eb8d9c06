import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { type StackProcess, stackStartTimeoutMs, startStackProcess } from '../support/local-stack-process.ts';
import { orderBody } from '../support/order-flow.ts';
import { acceptedQuote } from '../support/quote-flow.ts';

/**
 * SIGKILL of the whole local stack (npm, tsx, node, DynamoDB Local) with orders in flight, then a
 * restart with the same data directory: the executions that were running are resumed from their
 * recorded position, every order completes, and no downstream request is made twice (the
 * simulators keep their records in DynamoDB Local, so they survive the crash too). An event the
 * bus had accepted but not yet delivered when the process died (the local bus keeps it in memory,
 * EventBridge would not lose it) is covered as in AWS by the scheduled reconciliation, which
 * restarts an order no execution drives under the name its creation event uses.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'cpq-oms-crash-'));
const args = ['--data-dir', dataDir, '--time-scale', '0.05', '--schedule-interval-ms', '10000'];
const env = { RECON_ORDER_STRANDED_MS: '10000' };
const ops = { token: 'local-ops' };
const sales = { token: 'local-sales' };
let current: StackProcess | undefined;
type Listed = { name: string; status: string; type: string };

afterAll(async () => {
  // A stack the test left running (it failed midway) is stopped before its data directory goes.
  if (current) {
    try {
      process.kill(-current.child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const exited = (stack: StackProcess) =>
  new Promise<void>((r) => (stack.child.exitCode !== null ? r() : stack.child.once('exit', () => r())));

describe('crash recovery without help', () => {
  it('SIGKILL with orders in flight, restart with the same --data-dir: every order completes once', async () => {
    const first = await startStackProcess(args, stackStartTimeoutMs, { viaNpm: true, env });
    current = first;
    const api = client(first.url);
    const quotes = await Promise.all(
      Array.from({ length: 10 }, () => acceptedQuote('local-sales', undefined, undefined, first.url)),
    );
    const orderIds = await Promise.all(
      quotes.map(async (q) => {
        const r = await api.post(`${ordersPath}/productOrder`, orderBody(q), sales);
        expect(r.status).toBe(201);
        return r.body.id as string;
      }),
    );
    // Kill while executions run (no timing: wait for the state, then kill at once).
    await eventually(
      async () => {
        const list = (await api.get('/ops/local/executions', ops)).body.executions as Listed[];
        return list.filter((e) => e.status === 'RUNNING' && e.type === 'STANDARD').length >= 3
          ? true
          : undefined;
      },
      300,
      50,
    );
    process.kill(-first.child.pid!, 'SIGKILL');
    await exited(first);

    const second = await startStackProcess(args, stackStartTimeoutMs, { viaNpm: true, env });
    current = second;
    const again = client(second.url);
    const resumed = Number(/Resumed (\d+) running executions/.exec(second.output())?.[1] ?? 0);
    expect(resumed).toBeGreaterThan(0);

    const states = async () =>
      Promise.all(
        orderIds.map(async (id) => (await again.get(`${ordersPath}/productOrder/${id}`, sales)).body.state),
      );
    const final = await eventually(
      async () => {
        const s = await states();
        return s.every((x) => x === 'completed') ? s : undefined;
      },
      400,
      500,
    ).catch(async () => states());
    expect(final).toEqual(orderIds.map(() => 'completed'));

    for (const id of orderIds) {
      const effects = [
        ...(await again.get(`/sim/provisioning/activations?orderId=${id}`, ops)).body.activations,
        ...(await again.get(`/sim/billing/subscriptions?orderId=${id}`, ops)).body.subscriptions,
      ] as { correlationId: string }[];
      expect(effects.length).toBeGreaterThan(0);
      const ids = effects.map((e) => e.correlationId);
      expect(new Set(ids).size, `duplicate side effect for ${id}`).toBe(ids.length);
      // The workflow its creation event names, and at most restarts of it by reconciliation.
      const listed = (await again.get(`/ops/local/executions?orderId=${id}`, ops)).body
        .executions as Listed[];
      // Standard parents only: each runs Express children for its steps.
      const names = listed.filter((e) => e.type === 'STANDARD').map((e) => e.name);
      expect(names).toContain(`order-${id}`);
      for (const name of names) expect(name).toMatch(new RegExp(`^order-${id}(-resume-v\\d+)?$`));
    }
    process.kill(-second.child.pid!, 'SIGTERM');
    await exited(second);
    current = undefined;
  }, 300_000);
});
