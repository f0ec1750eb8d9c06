import { env } from '#plumbing/env';
import { DependencyUnavailable } from '#plumbing/http/http-error';
import { stepFunctions } from '#plumbing/sfn-client';
import { createRun, type ReconciliationRun, type RunRequest } from './reconciliation-runs.ts';

/**
 * Records a run and starts its own execution of the reconciliation state machine, named after
 * the run: a duplicate start (same run id) finds the run recorded and the execution existing.
 */
export const startRun = async (input: RunRequest): Promise<{ run: ReconciliationRun; created: boolean }> => {
  const recorded = await createRun(input);
  try {
    const { client, sdk } = await stepFunctions();
    await client.send(
      new sdk.StartExecutionCommand({
        stateMachineArn: env.stateMachineArn('reconciliation'),
        name: input.runId,
        input: JSON.stringify({ runId: input.runId, correlationId: input.correlationId }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') return recorded;
    throw new DependencyUnavailable(`Step Functions: ${(error as Error).name}`);
  }
  return recorded;
};
