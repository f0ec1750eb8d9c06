import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { client, eventually } from '../support/api-client.ts';
import { stackStartTimeoutMs, startStackProcess } from '../support/local-stack-process.ts';

/** Every process of a process group (npm runs in its own group here). */
const group = (pgid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};
const commandOf = (pid: number): string => {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

describe('npm start stops every child when the npm process itself is signalled', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to npm stops tsx, node and DynamoDB Local (Java); the API stops answering`, async () => {
      const stack = await startStackProcess([], stackStartTimeoutMs, { viaNpm: true });
      const npmPid = stack.child.pid!;
      const health = await client(stack.url).get('/health', { token: 'local-ops' });
      expect(health.status).toBe(200);
      const family = group(npmPid);
      const commands = family.map(commandOf).join('\n');
      expect(commands).toContain('tsx');
      expect(commands).toContain('java');
      expect(family).toContain(health.body.components.dynamodb.pid);

      process.kill(npmPid, signal);
      // Not a timing assert: generous deadline, polling for the state.
      const left = await eventually(
        async () => (group(npmPid).length === 0 ? [] : undefined),
        300,
        200,
      ).catch(() => group(npmPid).map(commandOf));
      expect(left).toEqual([]);
      await expect(fetch(`${stack.url}/health`)).rejects.toThrow();
      expect(stack.output()).toContain(`${signal}: stopping`);
    });
  }
});
