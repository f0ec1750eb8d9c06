import { describe, expect, it } from 'vitest';
import { dashboards, signalNames, signals } from '#signals';
import { api } from '#topology';
import { widgets, widgetsOf } from '#widgets';

const routePaths = api.routes.map((r) => r.path.replace(/\{[^}]+\}/g, '{}'));

describe('widget catalog (requirements 003 §9, §19)', () => {
  it('shows every catalog signal on exactly one widget of its own dashboard', () => {
    for (const name of signalNames) {
      const mine = widgets.filter((w) => w.signal === name);
      expect(mine, name).toHaveLength(1);
      expect(mine[0]!.dashboard).toBe(signals[name].dashboard);
    }
    expect(new Set(widgets.map((w) => w.id)).size).toBe(widgets.length);
  });

  it.each(widgets.map((w) => [w.id, w] as const))('%s says its decision, owner and freshness', (_, w) => {
    expect(w.decision.length).toBeGreaterThan(10);
    expect(w.ownerTeam).toMatch(/^[a-z-]+$/);
    expect(w.freshness).toMatch(/as of/);
    if (w.query) expect(routePaths).toContain(w.query.split('?')[0]!.replace(/\{[^}]+\}/g, '{}'));
  });

  it('has the §9 widgets: state × age, funnel, fallout by reason and downstream, retry backlog, SLA forecast, conflicts, deal desk', () => {
    const shapes = Object.fromEntries(widgets.map((w) => [w.id, w.shape]));
    expect(shapes).toMatchObject({
      QuotesByStateAge: 'stateAge',
      OrdersByStateAge: 'stateAge',
      ConversionFunnel: 'funnel',
      OrdersInFallout: 'split',
      FalloutByDownstream: 'split',
      RetryBacklog: 'split',
      SlaBreachForecast: 'split',
      OrderChangeConflicts: 'trend',
      ApprovalQueueByReason: 'split',
      StaleApprovalsOpen: 'value',
    });
  });

  it('puts leading indicators before lagging ones on every dashboard (rule 6)', () => {
    for (const name of Object.keys(dashboards) as (keyof typeof dashboards)[]) {
      const order = widgetsOf(name).map((w) => w.indicator);
      expect(order, name).toEqual([...order].sort().reverse());
      expect(order.length, name).toBeLessThanOrEqual(100);
    }
  });
});
