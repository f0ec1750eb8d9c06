import { connect } from 'node:net';
import { afterAll, inject } from 'vitest';
import { useSharedStack } from './api-client.ts';

/**
 * Setup file of the e2e project: leases one of the shared stacks (test/support/local-stack-global-setup.ts)
 * before the file is imported and holds it until after the file's own last hook, so no other file
 * runs on that stack meanwhile (its simulator and dependency faults are global to it).
 */
const lease = connect(inject('sharedStacks'), '127.0.0.1');
const url = await new Promise<string>((resolve, reject) => {
  let text = '';
  lease.setEncoding('utf8');
  lease.on('data', (chunk: string) => {
    text += chunk;
    const end = text.indexOf('\n');
    if (end < 0) return;
    const reply = JSON.parse(text.slice(0, end)) as { url?: string; error?: string };
    if (reply.url) resolve(reply.url);
    else reject(new Error(`No shared stack: ${reply.error}`));
  });
  lease.on('error', reject);
  lease.on('close', () => reject(new Error('The shared stacks closed before lending one')));
});
useSharedStack(url);

// Registered before the file's hooks, so it runs after all of them (after hooks run in reverse).
afterAll(
  () =>
    new Promise<void>((resolve) => {
      lease.once('close', () => resolve());
      lease.end();
    }),
);
