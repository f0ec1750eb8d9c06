import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { projectRoot } from './constructs/domain-function.ts';
import { AwsSolutionsChecks, NagErrorsFailSynth, ServerlessChecks } from './constructs/nag.ts';
import { CpqOmsStack, cdkJsonContext, stageOf } from './stack.ts';

export type AppOptions = {
  /** Context over cdk.json's (the CLI's `-c` values override both). */
  context?: Record<string, unknown>;
  /** Where the cloud assembly goes; the CLI's own choice (`CDK_OUTDIR`) wins. */
  outdir?: string;
};

/**
 * The app as `cdk synth` and `cdk deploy` build it: one stack per stage (`-c stage=…`) with
 * cdk-nag as policy validation plugins, so tests synthesize exactly what the CLI validates.
 */
export const createApp = (options: AppOptions = {}): { app: App; stack: CpqOmsStack } => {
  const app = new App({
    context: { ...cdkJsonContext(), ...options.context },
    outdir: process.env.CDK_OUTDIR ? undefined : (options.outdir ?? path.join(projectRoot, 'cdk.out')),
  });
  // Environment-agnostic: synthesizes offline; account and region come from the deploy credentials.
  const stack = new CpqOmsStack(app, `cpq-oms-${stageOf(app)}`, {
    description: `Serverless CPQ/OMS back end (stage ${stageOf(app)})`,
  });
  // cdk-nag 3 is a policy validation plugin (v2 was an aspect): unacknowledged errors fail synth.
  Validations.of(app).addPlugins(
    new NagErrorsFailSynth(new AwsSolutionsChecks(app, { verbose: true })),
    new NagErrorsFailSynth(new ServerlessChecks(app, { verbose: true })),
  );
  return { app, stack };
};
