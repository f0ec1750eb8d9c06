import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/cpq-oms-app.ts';

type Violation = {
  ruleName: string;
  severity: string;
  violatingConstructs: { constructPath?: string }[];
};
type PluginReport = { pluginName: string; violations: Violation[] };

const outdir = mkdtempSync(path.join(tmpdir(), 'cpq-oms-nag-'));
let reports: PluginReport[];
let synthError: unknown;

beforeAll(() => {
  // Synthesized as the CLI synthesizes (references across nested stacks resolved, validation
  // plugins run on the result); bundling is skipped (it does not change the findings).
  const { app } = createApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  reports = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')).pluginReports;
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const findings = (pack: string, severity?: 'error') =>
  reports
    .filter((report) => report.pluginName === pack)
    .flatMap((report) => report.violations)
    .filter((violation) => !severity || violation.severity === severity)
    .map((violation) => ({
      rule: violation.ruleName,
      at: violation.violatingConstructs.map((construct) => construct.constructPath),
    }));

describe('cdk-nag on the synthesized app (what cdk synth and cdk deploy validate)', () => {
  it('synthesis passes its validations', () => {
    expect(synthError).toBeUndefined();
    // The report exists only when validation plugins ran; it lists the plugins that found something.
    expect(reports).toBeInstanceOf(Array);
  });

  it('AwsSolutions reports no errors (every exception is acknowledged with its reason where it is made)', () => {
    expect(findings('AwsSolutions', 'error')).toEqual([]);
  });

  it('AwsSolutions has no warnings left either (the WAF web ACL closed APIG3)', () => {
    expect(findings('AwsSolutions')).toEqual([]);
  });

  it('ServerlessChecks reports no findings', () => {
    expect(findings('Serverless')).toEqual([]);
  });
});
