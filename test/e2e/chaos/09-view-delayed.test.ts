import { afterEach, describe, expect, it } from 'vitest';
import { client, eventually } from '../../support/api-client.ts';
import { type ChaosRow, clearFaults, health, injectFault, rowTitle } from '../../support/faults.ts';
import {
  acceptedFiberQuote,
  createOrder,
  orderInState,
  resetFaults,
  setFault,
  settled,
} from '../../support/order-flow.ts';

const api = client();
const sales = { token: 'local-sales' };
const ops = { token: 'local-ops' };

const row: ChaosRow = {
  row: 9,
  scenario: 'Search index delayed',
  injectedFailure: 'the stream pipeline that feeds the read models is paused',
  affectedJourney: 'order tracking view of a held order being repaired; a new order',
  protectedInvariant:
    'a view never claims a state the source has left, nor that an existing order does not exist',
  expectedTransition: 'the source moves on (repair) while the view stays at the projected version',
  userVisible:
    'the tracking view answers with freshness.stale true, behindBy and a sourceLookup href; a not-yet-projected order is 404 NOT_YET_PROJECTED with the sourceLookup; the lookup answers',
  eventOrMetric: '/health names streams degraded; ProjectionLagMs grows after resume',
  recovery: 'the pipeline resumes; the view catches up (stale false)',
  repairPath: 'none: exact-id lookup meanwhile; rebuild-projections if a view is corrupt',
  reconciliationCheck: 'view sourceVersion = order version after catch-up',
  passFail: 'stale said while behind, lookup offered and working, stale false after resume',
};

describe.sequential('chaos', () => {
  afterEach(async () => {
    await clearFaults();
    await resetFaults();
  });

  it(rowTitle(row), async () => {
    const quote = await acceptedFiberQuote();
    await setFault('billing', 'reject', 1);
    const held = (await createOrder(quote)).body.id as string;
    await orderInState(held, 'held');
    await settled(held);
    const projected = await eventually(async () => {
      const v = await api.get(`/views/order-tracking/${held}`, sales);
      return v.status === 200 && v.body.state === 'held' ? v.body : undefined;
    });
    expect(projected.freshness.stale).toBe(false);

    await injectFault('streams', { paused: true });
    expect((await health()).degraded).toContain('streams');
    const repair = await api.post(
      `/ops/orders/${held}/tasks/BILLING_HANDOFF/repair`,
      { action: 'RETRY', reasonCode: 'BILLING_PAYLOAD_CORRECTED' },
      ops,
    );
    expect(repair.status).toBeLessThan(300);
    const stale = await api.get(`/views/order-tracking/${held}`, sales);
    expect(stale.status).toBe(200);
    expect(stale.body.state).toBe('held');
    expect(stale.body.freshness.stale).toBe(true);
    expect(stale.body.freshness.behindBy).toBeGreaterThan(0);
    const lookup = await api.get(stale.body.sourceLookup.href, sales);
    expect(lookup.status).toBe(200);
    expect(lookup.body.id).toBe(held);

    const newer = (await createOrder(await acceptedFiberQuote())).body.id as string;
    const missing = await api.get(`/views/order-tracking/${newer}`, sales);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_YET_PROJECTED');
    expect((await api.get(missing.body.details.sourceLookup.href, sales)).status).toBe(200);
    // Another channel still learns nothing.
    expect((await api.get(`/views/order-tracking/${newer}`, { token: 'local-partner-a' })).body.code).toBe(
      'NOT_FOUND',
    );

    await clearFaults();
    await orderInState(held, 'completed');
    const caughtUp = await eventually(async () => {
      const v = await api.get(`/views/order-tracking/${held}`, sales);
      return v.body.state === 'completed' && v.body.freshness.stale === false ? v.body : undefined;
    });
    expect(caughtUp.freshness.behindBy).toBeUndefined();
    await orderInState(newer, 'completed');
  });
});
