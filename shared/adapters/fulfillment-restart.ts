import type { RestartPlan } from '#domain/reconciliation/stranded-orders';
import { env } from '#plumbing/env';
import { stepFunctions } from '#plumbing/sfn-client';

/** Names of the fulfillment executions running now (every page). */
export const runningExecutionNames = async (): Promise<string[]> => {
  const { client, sdk } = await stepFunctions();
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new sdk.ListExecutionsCommand({
        stateMachineArn: env.stateMachineArn('fulfillment'),
        statusFilter: 'RUNNING',
        maxResults: 1000,
        nextToken,
      }),
    );
    for (const e of page.executions ?? []) if (e.name) names.push(e.name);
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
};

export class AlreadyRestarted extends Error {
  override readonly name = 'AlreadyRestarted';
}

/**
 * Starts fulfillment for a stranded order under the first name of the plan not used yet: the
 * same safe path as the creation event (the workflow resumes from the order aggregate).
 */
export const restartFulfillment = async (plan: RestartPlan): Promise<string> => {
  const { client, sdk } = await stepFunctions();
  for (const name of plan.executionNames) {
    try {
      await client.send(
        new sdk.StartExecutionCommand({
          stateMachineArn: env.stateMachineArn('fulfillment'),
          name,
          input: JSON.stringify(plan.input),
        }),
      );
      return name;
    } catch (error) {
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    }
  }
  throw new AlreadyRestarted(
    `Executions ${plan.executionNames.join(', ')} already exist for this order version: a human decides`,
  );
};
