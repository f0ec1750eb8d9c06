import { ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RestartPlan } from '#domain/reconciliation/stranded-orders';
import { env } from '#plumbing/env';
import { sfnClient } from '#plumbing/sfn-client';

/** Names of the fulfillment executions running now (every page). */
export const runningExecutionNames = async (): Promise<string[]> => {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfnClient().send(
      new ListExecutionsCommand({
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
  for (const name of plan.executionNames) {
    try {
      await sfnClient().send(
        new StartExecutionCommand({
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
