import { expect } from 'vitest';
import { client } from './api-client.ts';

const ops = { token: 'local-ops' };

export type FaultKind = 'functions' | 'tables' | 'catalog' | 'event-bus' | 'start-execution' | 'streams';

/** PUT /ops/local/faults/{kind}[/{name}]: injects one fault into the local stack's own dependencies. */
export const injectFault = async (
  kind: FaultKind,
  fault: Record<string, unknown>,
  name?: string,
  api = client(),
) => {
  const r = await api.put(`/ops/local/faults/${kind}${name ? `/${name}` : ''}`, fault, ops);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

/** DELETE /ops/local/faults: every injected fault cleared (the simulators' faults are separate). */
export const clearFaults = async (api = client()) => {
  const r = await fetch(`${api.baseUrl}/ops/local/faults`, {
    method: 'DELETE',
    headers: { Authorization: 'Bearer local-ops' },
  });
  expect(r.status).toBe(200);
};

export const health = async (api = client()) => (await api.get('/health', { token: 'local-ops' })).body;

/**
 * The requirements 000 §21.1 failure-injection checklist of one chaos row, written as data so the test states
 * each item; the assertions of the test are its pass/fail criteria.
 */
export type ChaosRow = {
  row: number;
  scenario: string;
  injectedFailure: string;
  affectedJourney: string;
  protectedInvariant: string;
  expectedTransition: string;
  userVisible: string;
  eventOrMetric: string;
  recovery: string;
  repairPath: string;
  reconciliationCheck: string;
  passFail: string;
};

export const rowTitle = (r: ChaosRow) =>
  `requirements 000 §21 row ${r.row} – ${r.scenario}: ${r.protectedInvariant} (pass: ${r.passFail})`;

/** Invocations, errors and throttles per function as the local Lambda runtime counted them. */
export const invocations = async (api = client()) =>
  (await api.get('/ops/local/invocations', ops)).body as Record<
    string,
    { count: number; errors: number; throttles: number }
  >;
