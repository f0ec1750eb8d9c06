import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { client } from '../support/api-client.ts';
import { startStackProcess } from '../support/local-stack-process.ts';
import { quoteBody } from '../support/quote-flow.ts';

const alive = (pid: number | undefined): boolean => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const children = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};

const dataDir = mkdtempSync(join(tmpdir(), 'cpq-oms-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start: the embedded local stack as a process', () => {
  it('reports every component healthy, stops on SIGTERM leaving no Java process, and keeps data with --data-dir', async () => {
    const first = await startStackProcess(['--data-dir', dataDir]);
    const health = await client(first.url).get('/health', { token: 'local-ops' });
    expect(health.body.components).toMatchObject({
      dynamodb: { status: 'ok' },
      api: { status: 'ok' },
      eventBus: { status: 'ok' },
      stepFunctions: { status: 'ok' },
      scheduler: { status: 'ok' },
    });
    expect(first.output()).toContain('local-partner-a');
    const created = await client(first.url).post('/quotes', quoteBody(), { token: 'local-sales' });
    expect(created.status).toBe(201);

    const javaPid = health.body.components.dynamodb.pid as number;
    expect(alive(javaPid)).toBe(true);
    const tsxPid = first.child.pid!;
    const family = [tsxPid, ...children(tsxPid)];
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(alive(javaPid)).toBe(false);
    expect(family.filter(alive)).toEqual([]);

    const second = await startStackProcess(['--data-dir', dataDir]);
    const again = await client(second.url).get(`/quotes/${created.body.id}`, { token: 'local-sales' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('answers a request that arrives while it is still starting, once it is ready', async () => {
    const port = await new Promise<number>((resolvePort) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolvePort(port));
      });
    });
    const starting = startStackProcess(['--port', String(port)]);
    // Knock until the port accepts a connection: that first request is sent before start-up ends.
    let early: Response | undefined;
    while (!early) {
      early = await fetch(`http://127.0.0.1:${port}/health`, {
        headers: { Authorization: 'Bearer local-ops' },
        signal: AbortSignal.timeout(60_000),
      }).catch((error: Error) => {
        if (error.name === 'TimeoutError')
          throw new Error('a request accepted during start-up was never answered');
        return new Promise<undefined>((r) => setTimeout(() => r(undefined), 20));
      });
    }
    const stack = await starting;
    expect(early.status).toBe(200);
    expect(((await early.json()) as { components: object }).components).toMatchObject({
      api: { status: 'ok' },
    });
    expect(await stack.stop()).toBe(0);
  }, 90_000);
});
