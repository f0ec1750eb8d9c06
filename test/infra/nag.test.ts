import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliSynth, cliSynth } from '../support/cloud-assembly.ts';

type Violation = {
  ruleName: string;
  severity: string;
  violatingConstructs: { constructPath?: string }[];
};
type PluginReport = { pluginName: string; violations: Violation[] };

let synth: CliSynth;
let reports: PluginReport[];

beforeAll(async () => {
  // The run's `cdk synth`: references across nested stacks resolved, validation plugins run on the
  // result, as `cdk deploy` validates.
  synth = await cliSynth();
  reports = JSON.parse(readFileSync(path.join(synth.outdir, 'validation-report.json'), 'utf8')).pluginReports;
});

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
    expect({ status: synth.status, output: synth.status === 0 ? '' : synth.output }).toEqual({
      status: 0,
      output: '',
    });
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
