import type { HttpReply } from './api-gateway.ts';
import type { LocalEventBus, PutEventsEntry } from './event-bus.ts';
import type { LocalFaults } from './faults.ts';
import { ServiceLimitExceeded } from './service-limits.ts';
import type { Execution, LocalStepFunctions } from './step-functions.ts';

const awsError = (status: number, type: string, message: string): HttpReply => ({
  status,
  headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': type },
  body: JSON.stringify({ __type: type, message }),
});
const ok = (body: unknown): HttpReply => ({
  status: 200,
  headers: { 'Content-Type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});
const epoch = (d?: Date) => (d ? d.getTime() / 1000 : undefined);
const describe = (e: Execution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  input: e.input,
  output: e.output,
  error: e.error,
  cause: e.cause,
  startDate: epoch(e.startDate),
  stopDate: epoch(e.stopDate),
});

/**
 * The AWS JSON protocol for the calls our handlers make (EventBridge PutEvents; Step Functions
 * StartExecution, DescribeExecution, ListExecutions), so handlers use the real SDK clients.
 */
export const handleAwsCall = async (
  target: string,
  raw: string,
  bus: LocalEventBus,
  sfn: LocalStepFunctions,
  faults: LocalFaults,
): Promise<HttpReply> => {
  const input = JSON.parse(raw || '{}') as Record<string, unknown>;
  try {
    return await answer(target, input, bus, sfn, faults);
  } catch (error) {
    if (!(error instanceof ServiceLimitExceeded)) throw error;
    return awsError(error.statusCode, error.name, error.message);
  }
};

const answer = async (
  target: string,
  input: Record<string, unknown>,
  bus: LocalEventBus,
  sfn: LocalStepFunctions,
  faults: LocalFaults,
): Promise<HttpReply> => {
  switch (target) {
    case 'AWSEvents.PutEvents': {
      const result = bus.putEvents((input.Entries ?? []) as PutEventsEntry[]);
      return result === 'refused' ? awsError(500, 'InternalException', 'Injected bus outage') : ok(result);
    }
    case 'AWSStepFunctions.StartExecution': {
      const fault = faults.forStartExecution();
      if (fault) {
        const status = fault.error === 'ServiceUnavailable' ? 503 : 400;
        return awsError(status, fault.error, 'Injected by the local faults API');
      }
      try {
        const e = await sfn.startExecution(
          String(input.stateMachineArn),
          input.name as string | undefined,
          String(input.input ?? '{}'),
        );
        return ok({ executionArn: e.executionArn, startDate: epoch(e.startDate) });
      } catch (error) {
        if (error instanceof ServiceLimitExceeded) throw error;
        const name = (error as Error).name;
        return awsError(
          400,
          name === 'ExecutionAlreadyExists' ? name : 'StateMachineDoesNotExist',
          (error as Error).message,
        );
      }
    }
    case 'AWSStepFunctions.DescribeExecution': {
      const e = sfn.executions.get(String(input.executionArn));
      return e ? ok(describe(e)) : awsError(400, 'ExecutionDoesNotExist', 'Execution does not exist');
    }
    case 'AWSStepFunctions.ListExecutions': {
      const list = [...sfn.executions.values()].filter(
        (e) =>
          e.stateMachineArn === input.stateMachineArn &&
          (!input.statusFilter || e.status === input.statusFilter),
      );
      return ok({ executions: list.map(describe) });
    }
    default:
      return awsError(400, 'UnknownOperationException', `Not emulated locally: ${target}`);
  }
};
