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
