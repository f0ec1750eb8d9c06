import { describe, expect, it } from 'vitest';
import { client, type Reply } from '../support/api-client.ts';

const api = client();
const ops = { token: 'local-ops' };

/** The one error shape of every local route: the gateway's, correlated by its header. */
const expectLocalError = (r: Reply, status: number, code: string) => {
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({
    '@type': 'Error',
    code,
    reason: expect.any(String),
    message: expect.any(String),
    status: String(status),
    correlationId: r.headers.get('x-correlation-id'),
  });
};

describe('local-only routes answer every error in one shape', () => {
  it('ops routes: 401 without token, 403 for another role, 404 off the table; an invalid fault 400 naming the fields', async () => {
    expectLocalError(await api.get('/ops/local/executions'), 401, 'UNAUTHORIZED');
    expectLocalError(await api.get('/ops/local/executions', { token: 'local-sales' }), 403, 'FORBIDDEN');
    expectLocalError(await api.get('/ops/local/nothing-here', ops), 404, 'NOT_FOUND');
    expectLocalError(await api.get('/sim/nowhere/activations', ops), 404, 'NOT_FOUND');
    expectLocalError(await api.post('/ops/local/schedules/nope/runs', {}, ops), 404, 'NOT_FOUND');
    const badSim = await api.put('/sim/provisioning/faults', { mode: 'no-such-mode' }, ops);
    expectLocalError(badSim, 400, 'MALFORMED_REQUEST');
    expect(badSim.body.details.fields.length).toBeGreaterThan(0);
    const badStreams = await api.put('/ops/local/faults/streams', { paused: 'sometimes' }, ops);
    expectLocalError(badStreams, 400, 'MALFORMED_REQUEST');
    expect(badStreams.body.details.fields[0].field).toBe('paused');
    expectLocalError(
      await api.put('/ops/local/faults/functions/no-such-function', {}, ops),
      404,
      'NOT_FOUND',
    );
    expectLocalError(await api.delete('/ops/local/faults/no-such-kind', ops), 404, 'NOT_FOUND');
  });

  it('downstream simulators on the internal port: unknown system 404, unsupported method 405', async () => {
    const internal = client(
      (await api.get('/health', { token: 'local-ops' })).body.components.internalServices.endpoint,
    );
    expectLocalError(await internal.get('/downstream/nowhere/orders/1'), 404, 'NOT_FOUND');
    expectLocalError(await internal.delete('/downstream/billing/subscriptions'), 405, 'METHOD_NOT_ALLOWED');
    // The public port never reaches the simulators.
    expect((await api.post('/downstream/billing/subscriptions', {})).status).toBe(404);
  });
});
