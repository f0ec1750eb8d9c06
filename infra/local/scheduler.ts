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
      const state = { count: 0, running: false } as {
        count: number;
        lastAt?: string;
        lastError?: string;
        running: boolean;
      };
      this.runs.set(s.name, state);
      const timer = setInterval(async () => {
        if (state.running) return;
        state.running = true;
        state.lastAt = new Date().toISOString();
        try {
          await this.runtime.invoke(s.target.function, {
            id: randomUUID(),
            source: 'aws.scheduler',
            'detail-type': 'Scheduled Event',
            time: state.lastAt,
            detail: { schedule: s.name },
          });
          state.lastError = undefined;
        } catch (error) {
          state.lastError = (error as Error).message;
        } finally {
          state.count++;
          state.running = false;
        }
      }, this.intervalOverrideMs ?? s.localIntervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
