/**
 * Local stand-in for CloudWatch: Powertools Metrics (in dev mode) writes EMF documents with
 * console.log; they are kept here, summed per metric name, instead of flooding the terminal.
 */
export class MetricsSink {
  readonly totals = new Map<string, number>();
  private original?: typeof console.log;
  private originalWarn?: typeof console.warn;

  capture(): void {
    if (this.original) return;
    const original = console.log;
    this.original = original;
    console.log = (...args: unknown[]) => {
      const first = args[0];
      if (typeof first === 'string' && first.startsWith('{"_aws"')) return this.record(first);
      original.apply(console, args);
    };
    const originalWarn = console.warn;
    this.originalWarn = originalWarn;
    // Handlers share one Metrics instance here (one process, concurrent invocations), so its
    // per-invocation warnings are noise locally; a Lambda process runs one invocation at a time.
    console.warn = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : '';
      if (
        text.startsWith('No application metrics to publish') ||
        /^Dimension ".*" has already been added/.test(text)
      ) {
        return;
      }
      originalWarn.apply(console, args);
    };
  }

  private record(line: string): void {
    try {
      const doc = JSON.parse(line) as {
        _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
      } & Record<string, unknown>;
      for (const group of doc._aws.CloudWatchMetrics) {
        for (const m of group.Metrics) {
          const value = doc[m.Name];
          const sum = Array.isArray(value) ? value.reduce((a: number, b) => a + Number(b), 0) : Number(value);
          this.totals.set(m.Name, (this.totals.get(m.Name) ?? 0) + (Number.isFinite(sum) ? sum : 0));
        }
      }
    } catch {
      this.original?.(line);
    }
  }

  release(): void {
    if (this.original) console.log = this.original;
    if (this.originalWarn) console.warn = this.originalWarn;
    this.original = undefined;
    this.originalWarn = undefined;
  }
}
