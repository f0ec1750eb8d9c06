import { randomUUID } from 'node:crypto';
import type { Schedule } from '#topology';
import type { LambdaRuntime } from './lambda-runtime.ts';

/** EventBridge Scheduler, locally: an interval per schedule; a run never overlaps itself. */
export class LocalScheduler {
  private timers: NodeJS.Timeout[] = [];
  readonly runs = new Map<string, { count: number; lastAt?: string; lastError?: string; running: boolean }>();

  constructor(
    private readonly runtime: LambdaRuntime,
    private readonly schedules: Schedule[],
    private readonly intervalOverrideMs?: number,
  ) {}

  start(): void {
    for (const s of this.schedules) {
      this.runs.set(s.name, { count: 0, running: false });
      // A failed run is recorded in `runs` (lastError); the next tick runs again.
      const timer = setInterval(
        () => void this.run(s.name).catch(() => undefined),
        this.intervalOverrideMs ?? s.localIntervalMs,
      );
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** One run of the schedule now (also what each tick does); undefined while one is running. */
  async run(name: string): Promise<unknown> {
    const s = this.schedules.find((x) => x.name === name);
    const state = this.runs.get(name);
    if (!s || !state || state.running) return undefined;
    state.running = true;
    state.lastAt = new Date().toISOString();
    try {
      const result = await this.runtime.invoke(
        s.target.function,
        {
          id: randomUUID(),
          source: 'aws.scheduler',
          'detail-type': 'Scheduled Event',
          time: state.lastAt,
          detail: { schedule: s.name },
        },
        { schedule: s.name },
      );
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
