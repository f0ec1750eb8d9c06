import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { workflowInput } from '#domain/order/workflow-input';
import { stateMachines } from '#topology';

/**
 * The real fulfillment ASL, run by aws-local-stepfunctions with fake task handlers that model
 * the order aggregate just enough to prove each path of the workflow.
 */

/** An ASL file of the topology with its task placeholders named after themselves. */
const definitionOf = (machine: keyof typeof stateMachines) => {
  const spec = stateMachines[machine];
  let text = readFileSync(new URL(`../../../${spec.definitionFile}`, import.meta.url), 'utf8');
  for (const placeholder of [...Object.keys(spec.taskFunctions), ...Object.keys(spec.childMachines ?? {})]) {
    text = text.replaceAll(
      `\${${placeholder}}`,
      `arn:aws:lambda:us-east-1:000000000000:function:${placeholder}`,
    );
  }
  return JSON.parse(text);
};

type Json = Record<string, any>;
/** `storeTimeout`: our own store timed out inside the dispatch step (the request may have left). */
type DispatchBehaviour = 'ok' | 'timeout' | 'unavailable' | 'reject' | 'skip' | 'storeTimeout';
/**
 * What the downstream answers and what the domain then allows: NOT_FOUND after the in-flight
 * window (re-send), NOT_FOUND inside it (ask again later), NOT_FOUND with the dispatch budget spent.
 */
type QueryBehaviour =
  | 'DONE'
  | 'NOT_FOUND'
  | 'NOT_FOUND_IN_WINDOW'
  | 'NOT_FOUND_BUDGET_SPENT'
  | 'PENDING'
  | 'NO_ANSWER';
type TaskState = 'PENDING' | 'IN_PROGRESS' | 'UNKNOWN' | 'DONE' | 'FAILED';

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

/** A scripted world: an order with tasks, a downstream that behaves as told per call. */
class FakeWorld {
  tasks = new Map<string, TaskState>();
  held?: string;
  calls: { state: string; taskId?: string; detail?: string }[] = [];
  /** Express child executions the parent started. */
  childRuns = 0;
  private dispatchScript: DispatchBehaviour[];
  private queryScript: QueryBehaviour[];
  private queriesLeft = 5;

  constructor(
    taskIds: string[],
    script: {
      dispatch?: DispatchBehaviour[];
      query?: QueryBehaviour[];
      nextStep?: () => Json | undefined;
    } = {},
  ) {
    for (const id of taskIds) this.tasks.set(id, 'PENDING');
    this.dispatchScript = [...(script.dispatch ?? [])];
    this.queryScript = [...(script.query ?? [])];
    this.nextStepOverride = script.nextStep;
  }

  private nextStepOverride?: () => Json | undefined;

  count(state: string) {
    return this.calls.filter((c) => c.state === state).length;
  }

  records() {
    return this.calls.filter((c) => c.state.startsWith('Record')).map((c) => `${c.state}:${c.detail}`);
  }

  private nextStep = (input: Json) => {
    this.calls.push({ state: 'NextStep' });
    expect(input).toEqual({ orderId: 'po-1', correlationId: 'corr-1', childStartedAt: expect.any(String) });
    const override = this.nextStepOverride?.();
    if (override) return override;
    if (this.held) return { kind: 'FINISHED', outcome: 'held', reasonCode: this.held };
    const open = [...this.tasks].filter(([, s]) => s !== 'DONE');
    if (open.length === 0) return { kind: 'FINISHED', outcome: 'completed' };
    return {
      kind: 'DISPATCH',
      tasks: open.map(([taskId, s]) => ({
        taskId,
        correlationId: `ful-${taskId}`,
        downstream: 'provisioning',
        mode: s === 'UNKNOWN' || s === 'IN_PROGRESS' ? 'QUERY_FIRST' : 'DISPATCH',
      })),
    };
  };

  /** Dispatches of each task so far; a fourth is refused as the domain's budget refuses it. */
  private attempts = new Map<string, number>();

  /**
   * The round step: its ready tasks sent as the per-task step would, each answer recorded as
   * the state of that name would record it; queries and spent budgets are left for the Map.
   */
  private dispatchRound = (input: Json) => {
    const left: Json[] = [];
    for (const task of input.tasks as Json[]) {
      if (task.mode !== 'DISPATCH' || (this.attempts.get(task.taskId) ?? 0) >= 3) {
        left.push(task);
        continue;
      }
      const taskId = task.taskId as string;
      try {
        const answer = this.dispatch({ ...input, task });
        if (!answer.skipped)
          this.record('RecordDone')({ ...input, taskId, outcome: 'DONE', evidence: answer });
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'DownstreamRejected')
          this.record('RecordRejected')({ taskId, outcome: 'FALLOUT', reasonCode: 'DOWNSTREAM_REJECTED' });
        else if (name === 'DownstreamUnavailable') left.push(task);
        else this.record('RecordOutcomeUnknown')({ taskId, outcome: 'UNKNOWN', error: { Error: name } });
      }
    }
    return { left, sent: input.tasks.length - left.length };
  };

  private dispatch = (input: Json) => {
    const taskId = input.task.taskId as string;
    const attempts = (this.attempts.get(taskId) ?? 0) + 1;
    this.attempts.set(taskId, attempts);
    if (attempts > 3) {
      this.calls.push({ state: 'Dispatch', taskId, detail: 'budget spent' });
      throw named('RetryBudgetExhausted');
    }
    const behaviour = this.dispatchScript.shift() ?? 'ok';
    this.calls.push({ state: 'Dispatch', taskId, detail: behaviour });
    expect(input.correlationId).toBe('corr-1');
    if (behaviour === 'skip') return { skipped: true, reason: 'task IN_PROGRESS' };
    this.tasks.set(taskId, 'IN_PROGRESS');
    switch (behaviour) {
      case 'ok':
        return {
          downstreamRef: `ref-${taskId}`,
          status: 'COMPLETED',
          correlationId: input.task.correlationId,
        };
      case 'timeout':
        throw named('DownstreamTimeout');
      case 'storeTimeout':
        throw named('TimeoutError');
      case 'unavailable':
        this.tasks.set(taskId, 'PENDING');
        throw named('DownstreamUnavailable');
      case 'reject':
        throw named('DownstreamRejected');
    }
  };

  private query = (input: Json) => {
    const taskId = input.task.taskId as string;
    const behaviour = this.queryScript.shift() ?? 'DONE';
    this.calls.push({ state: 'QueryDownstream', taskId, detail: behaviour });
    this.queriesLeft--;
    const status = behaviour.startsWith('NOT_FOUND') ? 'NOT_FOUND' : behaviour;
    const answer = {
      status,
      ...(status === 'NOT_FOUND' ? {} : { downstreamRef: `ref-${taskId}` }),
      pendingChecksLeft: Math.max(0, this.queriesLeft),
    };
    switch (behaviour) {
      case 'DONE':
        return { ...answer, decision: 'DONE' };
      case 'NOT_FOUND':
        this.tasks.set(taskId, 'PENDING');
        return { ...answer, decision: 'RESEND' };
      case 'NOT_FOUND_IN_WINDOW':
        return { ...answer, decision: 'AWAIT_WINDOW', waitSeconds: 1 };
      case 'NO_ANSWER':
        return { status: 'NO_ANSWER', decision: 'AWAIT_ANSWER', waitSeconds: 2, pendingChecksLeft: 5 };
      case 'NOT_FOUND_BUDGET_SPENT':
        this.held = 'RETRY_BUDGET_EXHAUSTED';
        return { ...answer, decision: 'HOLD', reasonCode: this.held };
      case 'PENDING':
        if (this.queriesLeft > 0) return { ...answer, decision: 'AWAIT_PENDING' };
        this.held = 'UNKNOWN_OUTCOME_UNRESOLVED';
        return { ...answer, decision: 'HOLD', reasonCode: this.held };
    }
  };

  private record = (state: string) => (input: Json) => {
    const detail = input.outcome === 'FALLOUT' ? `FALLOUT:${input.reasonCode}` : input.outcome;
    this.calls.push({ state, taskId: input.taskId, detail });
    if (input.outcome === 'DONE') {
      expect(input.evidence.downstreamRef).toBe(`ref-${input.taskId}`);
      this.tasks.set(input.taskId, 'DONE');
    } else if (input.outcome === 'UNKNOWN') {
      expect(input.error.Error).toMatch(/DownstreamTimeout|States.Timeout|TimeoutError/);
      this.tasks.set(input.taskId, 'UNKNOWN');
    } else {
      this.tasks.set(input.taskId, 'FAILED');
      this.held = input.reasonCode;
    }
    return { recorded: true };
  };

  /** The parent's Catch: the child runs kept failing; the order is held on its open task. */
  holdForRepair = (input: Json) => {
    this.calls.push({ state: 'HoldForRepair', detail: input.holdAfterFailure?.Error });
    this.held ??= 'UNKNOWN_OUTCOME_UNRESOLVED';
    return { kind: 'FINISHED', outcome: 'held', reasonCode: this.held };
  };

  handlers() {
    const recordStates = [
      'RecordDone',
      'RecordOutcomeUnknown',
      'RecordDoneFromQuery',
      'RecordRejected',
      'RecordRetryBudgetSpent',
      'RecordOutcomeUnresolved',
    ];
    return {
      NextStep: this.nextStep,
      DispatchRound: this.dispatchRound,
      Dispatch: this.dispatch,
      QueryDownstream: this.query,
      ...Object.fromEntries(recordStates.map((s) => [s, this.record(s)])),
    };
  }
}

/**
 * The Standard parent, whose RunSteps state runs the Express child to its end (as
 * startExecution.sync:2 does: output as JSON, a failed child fails the task).
 */
const run = async (world: FakeWorld, handlers: Json = world.handlers()) => {
  const child = new StateMachine(definitionOf('fulfillment-steps'), {
    validationOptions: { checkArn: false },
  });
  const parent = new StateMachine(definitionOf('fulfillment'), { validationOptions: { checkArn: false } });
  const childRuns: Json[] = [];
  const runSteps = async (input: Json) => {
    childRuns.push(input.Input);
    const output = await child
      .run(input.Input, {
        overrides: {
          taskResourceLocalHandlers: handlers as never,
          waitTimeOverrides: { WaitForDownstream: 0, WaitLongerForDownstream: 0, WaitToQueryAgain: 0 },
          retryIntervalOverrides: Object.fromEntries(
            ['NextStep', 'Dispatch', 'QueryDownstream', 'RecordDone'].map((s) => [s, 0]),
          ),
        },
      })
      .result.catch((error: Error) => {
        // As startExecution.sync reports a child that did not succeed.
        throw named('States.TaskFailed', error.message);
      });
    return { Status: 'SUCCEEDED', Output: output };
  };
  const execution = parent.run(workflowInput('po-1', 'corr-1'), {
    overrides: {
      taskResourceLocalHandlers: { RunSteps: runSteps, HoldForRepair: world.holdForRepair } as never,
      waitTimeOverrides: { WaitForInFlight: 0, WaitForNextChild: 0 },
      retryIntervalOverrides: { RunSteps: 0 },
    },
  });
  const out = (await execution.result) as Json;
  world.childRuns = childRuns.length;
  return out;
};

describe('fulfillment state machine paths', () => {
  it('happy path: dispatches, records DONE from the answer and finishes completed', async () => {
    const world = new FakeWorld(['A', 'B']);
    const out = await run(world);
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'completed' });
    expect(world.count('Dispatch')).toBe(2);
    expect(world.count('QueryDownstream')).toBe(0);
    expect(world.records().sort()).toEqual(['RecordDone:DONE', 'RecordDone:DONE']);
    expect(world.childRuns).toBe(1);
  });

  it('timeout → unknown outcome → query DONE: recorded from the query, never dispatched again', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'], query: ['DONE'] });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDoneFromQuery:DONE']);
  });

  it('timeout → query NOT_FOUND after the in-flight window → dispatched again with the same correlation id', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout', 'ok'], query: ['NOT_FOUND'] });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    const dispatches = world.calls.filter((c) => c.state === 'Dispatch');
    expect(dispatches.map((d) => d.detail)).toEqual(['timeout', 'ok']);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDone:DONE']);
  });

  it('query PENDING → wait → query again → DONE', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'], query: ['PENDING', 'PENDING', 'DONE'] });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    expect(world.count('QueryDownstream')).toBe(3);
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDoneFromQuery:DONE']);
  });

  it('PENDING until the query budget is spent → fallout UNKNOWN_OUTCOME_UNRESOLVED, no re-dispatch', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'], query: Array(10).fill('PENDING') });
    const out = await run(world);
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'held', reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' });
    expect(world.count('QueryDownstream')).toBe(5);
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN']);
  });

  it('NOT_FOUND inside the in-flight window is no proof: waits, asks again, finds the late commit, never re-sends', async () => {
    const world = new FakeWorld(['A'], {
      dispatch: ['timeout'],
      query: ['NOT_FOUND_IN_WINDOW', 'NOT_FOUND_IN_WINDOW', 'DONE'],
    });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    expect(world.count('QueryDownstream')).toBe(3);
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDoneFromQuery:DONE']);
  });

  it('a query without an answer is asked again after the backoff, never turned into a re-send', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'], query: ['NO_ANSWER', 'NO_ANSWER', 'DONE'] });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    expect(world.count('QueryDownstream')).toBe(3);
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDoneFromQuery:DONE']);
  });

  it('NOT_FOUND inside the window, then NOT_FOUND once it has passed → re-sent exactly once', async () => {
    const world = new FakeWorld(['A'], {
      dispatch: ['timeout', 'ok'],
      query: ['NOT_FOUND_IN_WINDOW', 'NOT_FOUND'],
    });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    expect(world.calls.filter((c) => c.state === 'Dispatch').map((d) => d.detail)).toEqual(['timeout', 'ok']);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDone:DONE']);
  });

  it('proven not done but the dispatch budget is spent → held by the query with RETRY_BUDGET_EXHAUSTED, not sent', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'], query: ['NOT_FOUND_BUDGET_SPENT'] });
    const out = await run(world);
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'held', reasonCode: 'RETRY_BUDGET_EXHAUSTED' });
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN']);
  });

  it('a dispatch whose own store timed out may have sent: its outcome is queried, and a late success is found, never held', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['storeTimeout'], query: ['DONE'] });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDoneFromQuery:DONE']);
  });

  it('a query step that fails learned nothing: the task stays in doubt and is asked again, not held', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'], query: ['DONE'] });
    const handlers = world.handlers();
    let failures = 4;
    const out = await run(world, {
      ...handlers,
      QueryDownstream: (input: Json) => {
        if (failures-- > 0) {
          world.calls.push({ state: 'QueryDownstream', taskId: input.task.taskId, detail: 'failed' });
          throw named('TimeoutError', 'the order store did not answer');
        }
        return handlers.QueryDownstream(input);
      },
    });
    expect(out.next.outcome).toBe('completed');
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual(['RecordOutcomeUnknown:UNKNOWN', 'RecordDoneFromQuery:DONE']);
  });

  it('a round step that fails leaves its tasks to the next round instead of failing the child', async () => {
    const world = new FakeWorld(['A', 'B']);
    const handlers = world.handlers() as Json;
    let failures = 1;
    const out = await run(world, {
      ...handlers,
      DispatchRound: (input: Json) => {
        if (failures-- > 0) throw named('DependencyUnavailable', 'the order store did not answer');
        return handlers.DispatchRound(input);
      },
    });
    expect(out.next.outcome).toBe('completed');
    expect(world.childRuns).toBe(1);
    expect(world.count('Dispatch')).toBe(2);
    expect(world.records().sort()).toEqual(['RecordDone:DONE', 'RecordDone:DONE']);
  });

  it('a query answer the machine does not know is recorded as an unresolved outcome, never re-sent', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'] });
    const handlers = world.handlers();
    const out = await run(world, {
      ...handlers,
      QueryDownstream: (input: Json) => {
        world.calls.push({ state: 'QueryDownstream', taskId: input.task.taskId });
        return { status: 'NOT_FOUND', decision: 'SOMETHING_NEW', pendingChecksLeft: 5 };
      },
    });
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'held', reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' });
    expect(world.count('Dispatch')).toBe(1);
    expect(world.records()).toEqual([
      'RecordOutcomeUnknown:UNKNOWN',
      'RecordOutcomeUnresolved:FALLOUT:UNKNOWN_OUTCOME_UNRESOLVED',
    ]);
  });

  it('transient DownstreamUnavailable is retried, then succeeds', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['unavailable', 'unavailable', 'ok'] });
    const out = await run(world);
    expect(out.next.outcome).toBe('completed');
    expect(world.count('Dispatch')).toBe(3);
    expect(world.records()).toEqual(['RecordDone:DONE']);
  });

  it('retries exhausted → fallout RETRY_BUDGET_EXHAUSTED after a bounded number of attempts', async () => {
    const world = new FakeWorld(['A'], { dispatch: Array(10).fill('unavailable') });
    const out = await run(world);
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'held', reasonCode: 'RETRY_BUDGET_EXHAUSTED' });
    expect(world.count('Dispatch')).toBe(4);
    expect(world.records()).toEqual(['RecordRetryBudgetSpent:FALLOUT:RETRY_BUDGET_EXHAUSTED']);
  });

  it('semantic rejection → fallout without any retry', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['reject'] });
    const out = await run(world);
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'held', reasonCode: 'DOWNSTREAM_REJECTED' });
    expect(world.count('Dispatch')).toBe(1);
    expect(world.count('QueryDownstream')).toBe(0);
    expect(world.records()).toEqual(['RecordRejected:FALLOUT:DOWNSTREAM_REJECTED']);
  });

  it('a task another run already dispatched is left alone, and the next step decides again', async () => {
    let rounds = 0;
    const world = new FakeWorld(['A'], {
      dispatch: ['skip'],
      nextStep: () => (++rounds === 2 ? { kind: 'WAIT', reason: 'IN_FLIGHT' } : undefined),
    });
    world.tasks.set('A', 'PENDING');
    const out = await run(world);
    expect(world.records()).toEqual(['RecordDone:DONE']);
    expect(world.count('Dispatch')).toBe(2);
    expect(out.next.outcome).toBe('completed');
    // The wait for the other run's dispatch happens in the Standard parent, between two child runs.
    expect(world.childRuns).toBe(2);
  });

  it('never loops forever: a run that only waits ends in a Fail state', async () => {
    const world = new FakeWorld(['A'], { nextStep: () => ({ kind: 'WAIT', reason: 'IN_FLIGHT' }) });
    await expect(run(world)).rejects.toThrow();
    expect(world.count('NextStep')).toBe(200);
    expect(world.count('Dispatch')).toBe(0);
  });

  it('stalls visibly when nothing is ready and the order is not finished', async () => {
    const world = new FakeWorld(['A'], { nextStep: () => ({ kind: 'STALLED', reason: 'BLOCKED' }) });
    await expect(run(world)).rejects.toThrow(/FulfillmentStalled|Nothing is ready/);
  });

  it('a downstream that never answers: each child hands back before its limit, the parent waits and runs the next, and the order is held after the whole query budget', async () => {
    const world = new FakeWorld(['A'], { dispatch: ['timeout'] });
    const handlers = world.handlers();
    let queries = 0;
    let handedBack = false;
    const childLoops: number[] = [];
    const out = await run(world, {
      ...handlers,
      NextStep: (input: Json) => {
        childLoops.push(world.calls.length);
        if (handedBack) {
          handedBack = false;
          world.calls.push({ state: 'NextStep', detail: 'CONTINUE' });
          return { kind: 'CONTINUE', waitSeconds: 30 };
        }
        return (handlers.NextStep as (i: Json) => Json)(input);
      },
      // No answer ever; the 3rd query of each child is the last its time limit allows.
      QueryDownstream: (input: Json) => {
        queries++;
        world.calls.push({ state: 'QueryDownstream', taskId: input.task.taskId, detail: 'NO_ANSWER' });
        expect(input.childStartedAt).toEqual(expect.any(String));
        if (queries === 24) {
          world.held = 'UNKNOWN_OUTCOME_UNRESOLVED';
          return { status: 'NO_ANSWER', decision: 'HOLD', reasonCode: world.held, pendingChecksLeft: 0 };
        }
        const answer = {
          status: 'NO_ANSWER',
          decision: 'AWAIT_ANSWER',
          waitSeconds: 64,
          pendingChecksLeft: 5,
        };
        if (queries % 3 !== 0) return answer;
        handedBack = true;
        return { ...answer, handBack: true };
      },
    });
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'held', reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' });
    expect(world.count('QueryDownstream')).toBe(24);
    expect(world.count('Dispatch')).toBe(1);
    expect(world.count('HoldForRepair')).toBe(0);
    expect(world.childRuns).toBe(8);
  });

  it('child runs that keep failing: after the retries the parent holds the order for repair instead of failing', async () => {
    const world = new FakeWorld(['A']);
    const out = await run(world, {
      ...world.handlers(),
      NextStep: () => {
        world.calls.push({ state: 'NextStep' });
        throw named('States.TaskFailed', 'the child timed out');
      },
    });
    expect(out.next).toEqual({ kind: 'FINISHED', outcome: 'held', reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' });
    expect(world.childRuns).toBe(4);
    expect(world.calls.filter((c) => c.state === 'HoldForRepair')).toEqual([
      { state: 'HoldForRepair', detail: 'States.TaskFailed' },
    ]);
  });
});
