import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's order (project by project, and in each the longest or largest file first) with the
 * projects dealt out in turn: a file of the unit, integration and infra projects (CPU on the
 * test worker), then one of the e2e project (a shared stack's work), then one that starts a
 * stack of its own (mostly waiting: outages, restarts, stack starts). The two workers then run
 * files of different kinds side by side, instead of one kind after another, where the
 * waiting-heavy files left a core idle. Which files run, and how, is unchanged.
 */
export default class InterleavedSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const onWorker = ['unit', 'integration', 'infra'];
    const streams = [
      // The unit files first: they need nothing started; the infra files read the run's `cdk synth`.
      onWorker.flatMap((name) => sorted.filter((spec) => spec.project.name === name)),
      sorted.filter((spec) => spec.project.name === 'e2e'),
      sorted.filter((spec) => spec.project.name === 'e2e-own-stack'),
    ];
    const rest = sorted.filter((spec) => !streams.some((stream) => stream.includes(spec)));
    const dealt: TestSpecification[] = [];
    for (let i = 0; streams.some((stream) => i < stream.length); i++)
      for (const stream of streams) if (i < stream.length) dealt.push(stream[i]!);
    return [...dealt, ...rest];
  }
}
