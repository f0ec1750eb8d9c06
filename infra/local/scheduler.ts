import { randomUUID } from 'node:crypto';
import type { Schedule } from '#topology';
import type { AsyncInvoker } from './async-invoker.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';

/**
 * EventBridge Scheduler, locally: an interval per schedule, each tick an asynchronous invocation
 * of its target (Lambda retries a failed run, then sends the event to the function's on-failure
 * destination). `run` is an operator's synchronous run that answers with the result; it never
 * overlaps itself.
 */
export class LocalScheduler {
  private timers: NodeJS.Timeout[] = [];
  readonly runs = new Map<string, { count: number; lastAt?: string; lastError?: string; running: boolean }>();

  constructor(
    private readonly runtime: LambdaRuntime,
    private readonly lambda: AsyncInvoker,
    private readonly schedules: Schedule[],
    private readonly intervalOverrideMs?: number,
  ) {}

  start(): void {
    for (const s of this.schedules) {
      this.runs.set(s.name, { count: 0, running: false });
      const timer = setInterval(() => this.tick(s), this.intervalOverrideMs ?? s.localIntervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  private tick(s: Schedule): void {
    const state = this.runs.get(s.name);
    if (state) {
      state.count++;
      state.lastAt = new Date().toISOString();
    }
    this.lambda.invoke(s.target.function, this.eventOf(s, new Date().toISOString()), { schedule: s.name });
  }

  private eventOf(s: Schedule, time: string) {
    return {
      id: randomUUID(),
      source: 'aws.scheduler',
      'detail-type': 'Scheduled Event',
      time,
      detail: { schedule: s.name },
    };
  }

  /** One synchronous run of the schedule's target now; undefined while one is running. */
  async run(name: string): Promise<unknown> {
    const s = this.schedules.find((x) => x.name === name);
    const state = this.runs.get(name);
    if (!s || !state || state.running) return undefined;
    state.running = true;
    state.lastAt = new Date().toISOString();
    try {
      const result = await this.runtime.invoke(s.target.function, this.eventOf(s, state.lastAt), {
        schedule: s.name,
      });
      state.lastError = undefined;
      return result;
    } catch (error) {
      state.lastError = (error as Error).message;
      throw error;
    } finally {
      state.count++;
      state.running = false;
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
