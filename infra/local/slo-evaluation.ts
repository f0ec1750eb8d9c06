import { type BurnWindow, budgetRemaining, burnRate, burnWindows, type SloName, sloNames, slos } from '#slos';

/** Sum of a counter over the last `minutes` up to `now` (the sink's datapoints). */
export type CounterSum = (signal: string, minutes: number, now: number) => number;

export type SloState = {
  objective: number;
  errorBudget: number;
  /** Budget left over the data the sink holds (its retention, not the SLO's 28 days). */
  budgetRemaining: number;
  burn: Record<
    BurnWindow['name'],
    { longBurnRate: number; shortBurnRate: number; threshold: number; action: string; state: 'OK' | 'ALARM' }
  >;
};

/**
 * Each SLO's burn-rate alarms as CloudWatch evaluates them: bad / total over the long and over the
 * short window, divided by the error budget; ALARM while both exceed the window's burn rate.
 */
export const evaluateSlos = (sum: CounterSum, retainedMinutes: number, now: number) =>
  Object.fromEntries(
    sloNames.map((name: SloName) => {
      const slo = slos[name];
      const ratio = (minutes: number) => {
        const total = slo.total.reduce((a, s) => a + sum(s, minutes, now), 0);
        const bad = slo.bad.reduce((a, s) => a + sum(s, minutes, now), 0);
        return { bad, total };
      };
      const burn = Object.fromEntries(
        burnWindows.map((w) => {
          const long = ratio(w.longMinutes);
          const short = ratio(w.shortMinutes);
          const longBurnRate = burnRate(slo, long.bad, long.total);
          const shortBurnRate = burnRate(slo, short.bad, short.total);
          const state: 'OK' | 'ALARM' =
            longBurnRate > w.burnRate && shortBurnRate > w.burnRate ? 'ALARM' : 'OK';
          return [w.name, { longBurnRate, shortBurnRate, threshold: w.burnRate, action: w.action, state }];
        }),
      ) as SloState['burn'];
      const retained = ratio(retainedMinutes);
      const state: SloState = {
        objective: slo.objective,
        errorBudget: 1 - slo.objective,
        budgetRemaining: budgetRemaining(slo, retained.bad, retained.total),
        burn,
      };
      return [name, state];
    }),
  ) as Record<SloName, SloState>;
