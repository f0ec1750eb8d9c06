import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { type FunctionName, functions, type StateMachineName, stateMachines } from '#topology';
import type { Execution, ExecutionStore } from './execution-store.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';
import { localFunctionArn, localStateMachineArn } from './local-aws.ts';
import { checkExecutionInput, withinStatePayloadLimit } from './service-limits.ts';

export type { Execution, ExecutionStatus } from './execution-store.ts';

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

type Definition = { StartAt: string; States: Record<string, AslState> };
type Machine = {
  machine: StateMachine;
  definition: Definition;
  overrides: object;
  type: Execution['type'];
  /** EXPRESS: how long an execution may run before it times out. */
  limitMs?: number;
};

/** An Express workflow runs at most 5 minutes. */
export const expressLimitSeconds = 300;

/**
 * The longest steps a local Express run has room for: a fulfillment child hands back before a
 * dispatch round that might not fit (its step's whole timeout), so a child must fit more than one
 * such step besides its reserve, or every child would hand back at once.
 */
const stepsPerChild = 3;

/**
 * The local Express limit: 5 minutes scaled like the Wait states, but never below a few of the
 * longest timeout of the machine's task functions, whose work runs in real time (a limit shorter
 * than its steps would fail executions AWS runs to their end).
 */
export const localExpressLimitMs = (machine: StateMachineName, timeScale: number): number =>
  Math.max(
    expressLimitSeconds * 1000 * timeScale,
    stepsPerChild *
      Math.max(
        ...Object.values(stateMachines[machine].taskFunctions).map(
          (fn) => ((functions[fn] as { timeoutSeconds?: number }).timeoutSeconds ?? 10) * 1000,
        ),
      ),
  );
type StateEvent = {
  type: string;
  index?: number;
  timestamp: number;
  state?: { name: string; input: unknown };
};

/**
 * Step Functions on this machine: the topology's ASL files, with the same substitutions as the
 * CDK app, run by aws-local-stepfunctions; each Task state calls the local handler whose ARN
 * its Resource names. `timeScale` shortens Wait states and retry pauses for tests.
 *
 * STANDARD executions are durable as in AWS: each one is recorded in the execution store before
 * StartExecution answers, with the top-level state it enters and that state's input as it
 * moves; `restore()` at start resumes every one a stopped or killed process left RUNNING at the
 * state it had entered (a Task that runs an EXPRESS child starts a new child, as a redriven
 * Standard execution does; a Map runs its items again: the fulfillment steps are re-entrant and
 * claim a task before any side effect, so a repeated item stands aside). EXPRESS executions,
 * like Express workflows in AWS, are not recorded.
 */
export class LocalStepFunctions {
  readonly executions = new Map<string, Execution>();
  private readonly machines = new Map<string, Machine>();
  private readonly running = new Map<string, { done: Promise<void>; abort: () => void }>();
  private suspended = false;

  constructor(
    root: string,
    private readonly runtime: LambdaRuntime,
    timeScale: number,
    private readonly store: ExecutionStore,
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
      const definition = JSON.parse(text) as Definition;
      const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
      const waitTimeOverrides: Record<string, number> = {};
      const retryIntervalOverrides: Record<string, number[]> = {};
      walk(definition.States, (stateName, state) => {
        if (state.Type === 'Task' && state.Resource?.startsWith(startExecutionSync)) {
          taskResourceLocalHandlers[stateName] = (input) =>
            withinStatePayloadLimit(stateName, input, () =>
              this.runChild(input as { StateMachineArn: string; Input: unknown }),
            );
        } else if (state.Type === 'Task' && state.Resource) {
          const fn = byArn.get(state.Resource);
          if (!fn)
            throw new Error(
              `${spec.definitionFile}: state ${stateName} calls unknown resource ${state.Resource}`,
            );
          taskResourceLocalHandlers[stateName] = (input) =>
            withinStatePayloadLimit(stateName, input, () =>
              this.runtime.invoke(fn, input, { stateMachine: name }),
            );
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
        definition,
        overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
        type: spec.type,
        ...(spec.type === 'EXPRESS' ? { limitMs: localExpressLimitMs(name, timeScale) } : {}),
      });
    }
  }

  /** Starts an execution; a STANDARD one is recorded before this answers (started means durable). */
  async startExecution(stateMachineArn: string, name: string | undefined, input: string): Promise<Execution> {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new Error(`State machine does not exist: ${stateMachineArn}`);
    checkExecutionInput(input);
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
    if (machine.type === 'STANDARD') {
      try {
        await this.store.put(execution);
      } catch (error) {
        this.executions.delete(executionArn);
        throw error;
      }
    }
    this.run(execution, machine.definition.StartAt, JSON.parse(input));
    return execution;
  }

  /** Loads every recorded execution and resumes those left RUNNING where they stood. */
  async restore(): Promise<{ resumed: number }> {
    let resumed = 0;
    for (const execution of await this.store.loadAll()) {
      this.executions.set(execution.executionArn, execution);
      const machine = this.machines.get(execution.stateMachineArn);
      if (execution.status !== 'RUNNING' || !machine) continue;
      const at = execution.position;
      const resumable = at && machine.definition.States[at.state] !== undefined;
      execution.resumed = (execution.resumed ?? 0) + 1;
      try {
        this.run(
          execution,
          resumable ? at.state : machine.definition.StartAt,
          resumable ? at.input : JSON.parse(execution.input),
        );
        resumed++;
      } catch (error) {
        // A record this version cannot resume (e.g. the ASL file changed): failed, as AWS would report.
        Object.assign(execution, {
          status: 'FAILED',
          error: 'ResumeFailed',
          cause: (error as Error).message,
        });
        execution.stopDate = new Date();
      }
      void this.store.save(execution).catch(() => undefined);
    }
    return { resumed };
  }

  private run(execution: Execution, startAt: string, input: unknown): void {
    const machine = this.machines.get(execution.stateMachineArn)!;
    // A resumed run starts past states the validator would call unreachable; the definition
    // itself was validated as written when the stack started.
    const sm =
      startAt === machine.definition.StartAt
        ? machine.machine
        : new StateMachine({ ...machine.definition, StartAt: startAt } as never, {
            validationOptions: { noValidate: true },
          });
    const run = sm.run(input as never, { overrides: machine.overrides as never });
    void this.follow(execution, run.eventLogs as AsyncGenerator<StateEvent>);
    // Express stops an execution at its limit, wherever it stands (its running task is abandoned).
    let timedOut = false;
    const limit =
      machine.limitMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            run.abort();
          }, machine.limitMs);
    const done = run.result
      .then((output: unknown) => {
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output);
      })
      .catch((error: Error & { cause?: unknown }) => {
        if (timedOut) {
          Object.assign(execution, {
            status: 'TIMED_OUT',
            error: 'States.Timeout',
            cause: 'Execution timed out',
          });
          return;
        }
        // Suspended by a stop: stays RUNNING (and recorded so) for the next start to resume.
        if (this.suspended) return;
        execution.status = 'FAILED';
        execution.error = error.name;
        execution.cause = error.message;
      })
      .finally(() => {
        clearTimeout(limit);
        this.running.delete(execution.executionArn);
        if (execution.status === 'RUNNING') return;
        execution.stopDate = new Date();
        if (execution.type === 'STANDARD') void this.store.save(execution).catch(() => undefined);
      });
    this.running.set(execution.executionArn, { done, abort: run.abort });
  }

  /** Counts state transitions; records the position at every top-level state entered (Map items carry an index). */
  private async follow(execution: Execution, events: AsyncGenerator<StateEvent>): Promise<void> {
    for await (const event of events) {
      if (event.type !== 'StateEntered') continue;
      execution.stateTransitions++;
      if (this.suspended || execution.type !== 'STANDARD' || event.index !== undefined || !event.state)
        continue;
      execution.position = {
        state: event.state.name,
        input: event.state.input,
        enteredAt: new Date(event.timestamp).toISOString(),
      };
      void this.store.save(execution).catch(() => undefined);
    }
  }

  /**
   * `startExecution.sync:2` as Step Functions does it: runs the child to its end and answers with
   * its description and parsed output; a child that did not succeed fails the task with
   * States.TaskFailed.
   */
  private async runChild(input: { StateMachineArn: string; Input: unknown }) {
    const child = await this.startExecution(
      input.StateMachineArn,
      undefined,
      JSON.stringify(input.Input ?? {}),
    );
    await this.running.get(child.executionArn)?.done;
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
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /**
   * Shutdown: running executions stop where they are and stay RUNNING in the store, so the next
   * start resumes them (as a Step Functions execution outlives any one worker).
   */
  async suspend(): Promise<void> {
    this.suspended = true;
    for (const r of this.running.values()) r.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.store.flush();
  }
}
