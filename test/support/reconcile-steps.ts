import { createRun, finishRun, planRun, processSegment, type RunScope } from '#commands/reconciliation-runs';

/**
 * The reconciliation workflow's steps in the order the state machine runs them, in this process
 * (integration tests; the state machine itself runs in the e2e stack): plan, every segment to
 * its end, finish. `stopAfterPages` abandons the run midway, as a crash would.
 */
export const reconcileBySteps = async (
  scope: RunScope,
  opts: { runId?: string; stopAfterPages?: number; trigger?: 'api' | 'schedule' } = {},
) => {
  const runId = opts.runId ?? `recon-${crypto.randomUUID()}`;
  const created = await createRun({
    runId,
    scope,
    trigger: opts.trigger ?? 'api',
    actor: 'ops:test',
    correlationId: 'test',
  });
  const segments = await planRun(runId, 'test');
  let pages = 0;
  for (const segmentId of segments) {
    for (;;) {
      if (opts.stopAfterPages !== undefined && pages >= opts.stopAfterPages)
        return { runId, created: created.created };
      const step = await processSegment(runId, segmentId, { remainingMs: () => 60_000 });
      pages += step.pages;
      if (step.done) break;
    }
  }
  return { runId, created: created.created, run: await finishRun(runId, 'test') };
};

/**
 * A run of `scope` whose every segment invocation finds 250 ms gone at each look at the clock
 * (2 s to start with): the queries each invocation made, counted by `asked` (the downstream's
 * record of queries), show how many started before the checkpoint reserve.
 */
export const reconcileOnShortClock = async (scope: RunScope, asked: readonly unknown[]) => {
  const runId = `recon-${crypto.randomUUID()}`;
  await createRun({ runId, scope, trigger: 'api', actor: 'ops:test', correlationId: 'test' });
  const queriesPerInvocation: number[] = [];
  for (const segmentId of await planRun(runId, 'test')) {
    for (;;) {
      let left = 2_000;
      const before = asked.length;
      const step = await processSegment(runId, segmentId, { remainingMs: () => (left -= 250) });
      queriesPerInvocation.push(asked.length - before);
      if (step.done) break;
    }
  }
  return { runId, run: await finishRun(runId, 'test'), queriesPerInvocation };
};
