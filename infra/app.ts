import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { projectRoot } from './constructs/domain-function.ts';
import { AwsSolutionsChecks, NagErrorsFailSynth, ServerlessChecks } from './constructs/nag.ts';
import { CpqOmsStack, cdkJsonContext } from './stack.ts';

// Runs under the CDK CLI (cdk.json "app") or alone (`npm run synth`), writing cdk.out either way.
const app = new App({
  context: cdkJsonContext(),
  outdir: process.env.CDK_OUTDIR ? undefined : path.join(projectRoot, 'cdk.out'),
});
// Environment-agnostic: synthesizes offline; account and region come from the deploy credentials.
new CpqOmsStack(app, 'CpqOmsStack', { description: 'Serverless CPQ/OMS back end' });
// cdk-nag 3 is a policy validation plugin (v2 was an aspect): unacknowledged errors fail synth.
Validations.of(app).addPlugins(
  new NagErrorsFailSynth(new AwsSolutionsChecks(app, { verbose: true })),
  new NagErrorsFailSynth(new ServerlessChecks(app, { verbose: true })),
);
app.synth();
