import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { type FunctionName, type StateMachineName, stateMachines } from '#topology';
import type { LambdaRuntime } from './lambda-runtime.ts';
import { localFunctionArn, localStateMachineArn } from './local-aws.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
export type Execution = {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  /** STANDARD executions are billed per state transition, EXPRESS ones per request and duration. */
  type: 'STANDARD' | 'EXPRESS';
  /** States entered, Map iterations included: what Step Functions Standard bills per transition. */
  stateTransitions: number;
};

/** Service integration that runs another state machine to its end (`.sync:2`: output as JSON). */
const startExecutionSync = 'arn:aws:states:::states:startExecution.sync';

type AslState = {
  Type: string;
  Resource?: string;
  Seconds?: number;
  Retry?: { IntervalSeconds?: number }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
};

const walk = (states: Record<string, AslState>, visit: (name: string, state: AslState) => void): void => {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested) walk(nested.States, visit);
    for (const branch of state.Branches ?? []) walk(branch.States, visit);
  }
};

export class ExecutionAlreadyExists extends Error {
  override readonly name = 'ExecutionAlreadyExists';
}

/**
 * Step Functions on this machine: the topology's ASL files, with the same substitutions as the
 * CDK app, run by aws-local-stepfunctions; each Task state calls the local handler whose ARN
 * its Resource names. `timeScale` shortens Wait states and retry pauses for tests.
 */
export class LocalStepFunctions {
  readonly executions = new Map<string, Execution>();
  private readonly machines = new Map<
    string,
    { machine: StateMachine; overrides: object; type: Execution['type'] }
  >();
  private readonly running = new Set<Promise<unknown>>();
  private readonly finished = new Map<string, Promise<void>>();

  constructor(
    root: string,
    private readonly runtime: LambdaRuntime,
    timeScale: number,
  ) {
    for (const [name, spec] of Object.entries(stateMachines) as [
      StateMachineName,
      (typeof stateMachines)[StateMachineName],
    ][]) {
      let text = readFileSync(resolve(root, spec.definitionFile), 'utf8');
      const byArn = new Map<string, FunctionName>();
      for (const [placeholder, fn] of Object.entries(spec.taskFunctions)) {
        text = text.replaceAll(`\${${placeholder}}`, localFunctionArn(fn));
        byArn.set(localFunctionArn(fn), fn);
      }
      for (const [placeholder, child] of Object.entries(spec.childMachines ?? {})) {
        text = text.replaceAll(`\${${placeholder}}`, localStateMachineArn(child));
      }
      const definition = JSON.parse(text) as { States: Record<string, AslState> };
      const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
      const waitTimeOverrides: Record<string, number> = {};
      const retryIntervalOverrides: Record<string, number[]> = {};
      walk(definition.States, (stateName, state) => {
        if (state.Type === 'Task' && state.Resource?.startsWith(startExecutionSync)) {
          taskResourceLocalHandlers[stateName] = (input) =>
            this.runChild(input as { StateMachineArn: string; Input: unknown });
        } else if (state.Type === 'Task' && state.Resource) {
          const fn = byArn.get(state.Resource);
          if (!fn)
            throw new Error(
              `${spec.definitionFile}: state ${stateName} calls unknown resource ${state.Resource}`,
            );
          taskResourceLocalHandlers[stateName] = (input) => this.runtime.invoke(fn, input);
        }
        if (state.Type === 'Wait' && typeof state.Seconds === 'number') {
          waitTimeOverrides[stateName] = state.Seconds * 1000 * timeScale;
        }
        if (state.Retry && timeScale !== 1) {
          retryIntervalOverrides[stateName] = state.Retry.map(
            (r) => (r.IntervalSeconds ?? 1) * 1000 * timeScale,
          );
        }
      });
      // Validated once here; every execution reuses the machine (validation is the costly part).
      new StateMachine(definition as never, { validationOptions: { checkArn: false } });
      this.machines.set(localStateMachineArn(name), {
        machine: new StateMachine(definition as never, { validationOptions: { noValidate: true } }),
        overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
        type: spec.type,
      });
    }
  }

  startExecution(stateMachineArn: string, name: string | undefined, input: string): Execution {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new Error(`State machine does not exist: ${stateMachineArn}`);
    const executionName = name ?? randomUUID();
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // As in AWS: same name and input while running answers with the same execution.
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ExecutionAlreadyExists(`Execution already exists: '${executionArn}'`);
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      input,
      startDate: new Date(),
      type: machine.type,
      stateTransitions: 0,
    };
    this.executions.set(executionArn, execution);
    const run = machine.machine.run(JSON.parse(input), { overrides: machine.overrides as never });
    void (async () => {
      for await (const event of run.eventLogs)
        if (event.type === 'StateEntered') execution.stateTransitions++;
    })();
    const done = run.result
      .then((output: unknown) => {
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output);
      })
      .catch((error: Error & { cause?: unknown }) => {
        execution.status = 'FAILED';
        execution.error = error.name;
        execution.cause = error.message;
      })
      .finally(() => {
        execution.stopDate = new Date();
        this.running.delete(done);
        this.finished.delete(executionArn);
      });
    this.running.add(done);
    this.finished.set(executionArn, done);
    return execution;
  }

  /**
   * `startExecution.sync:2` as Step Functions does it: runs the child to its end and answers with
   * its description and parsed output; a child that did not succeed fails the task with
   * States.TaskFailed.
   */
  private async runChild(input: { StateMachineArn: string; Input: unknown }) {
    const child = this.startExecution(input.StateMachineArn, undefined, JSON.stringify(input.Input ?? {}));
    await this.finished.get(child.executionArn);
    if (child.status !== 'SUCCEEDED') {
      throw Object.assign(new Error(`${child.error ?? child.status}: ${child.cause ?? ''}`), {
        name: 'States.TaskFailed',
      });
    }
    return {
      ExecutionArn: child.executionArn,
      StateMachineArn: child.stateMachineArn,
      Status: child.status,
      StartDate: child.startDate.getTime(),
      StopDate: child.stopDate?.getTime(),
      Output: JSON.parse(child.output ?? 'null') as unknown,
    };
  }

  get runningCount(): number {
    return this.running.size;
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
