import { createApp } from './cpq-oms-app.ts';

// Runs under the CDK CLI (cdk.json "app") or alone (`npm run synth`), writing cdk.out either way.
createApp().app.synth();
