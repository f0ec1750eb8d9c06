import { describe, expect, it } from 'vitest';
import { client, ordersPath } from '../support/api-client.ts';
import { acceptedQuote } from '../support/quote-flow.ts';

const api = client();
const ops = { token: 'local-ops' };

type FullRead = { function: string; command: string; table?: string; index?: string };
const fullReads = async (): Promise<FullRead[]> =>
  (await api.get('/ops/local/full-reads', ops)).body.fullReads as FullRead[];

/**
 * The local stack records every Scan, and every Query without a Limit, that a request handler
 * issues on its DynamoDB client. Every list, view and ops read is exercised here; the global
 * teardown asserts the same over everything the e2e files did.
 */
describe('no request handler reads a whole table or partition', () => {
  it('lists, views, the dashboard and reconciliation runs read with keys and limits only', async () => {
    const quote = await acceptedQuote('local-partner-a');
    const accountId = quote.customer.accountId as string;
    const before = (await fullReads()).length;
    const gets: [string, string][] = [
      [`${ordersPath}/productOrder`, 'local-ops'],
      [`${ordersPath}/productOrder?state=completed&limit=5`, 'local-ops'],
      [`${ordersPath}/productOrder?state=completed&offset=3&limit=2`, 'local-partner-a'],
      [`${ordersPath}/productOrder?accountId=${accountId}`, 'local-partner-a'],
      [`${ordersPath}/productOrder?quoteId=${quote.id}`, 'local-sales'],
      [`${ordersPath}/productOrder?channelId=partner-a&state=inProgress`, 'local-sales'],
      ['/views/approval-inbox?limit=5', 'local-approver'],
      ['/views/expiring-quotes?withinDays=30', 'local-partner-a'],
      ['/views/expiring-quotes?withinDays=30&limit=3', 'local-sales'],
      ['/views/fallout', 'local-ops'],
      [`/views/accounts/${accountId}/timeline?limit=2`, 'local-partner-a'],
      ['/ops/dashboard', 'local-ops'],
    ];
    for (const [path, token] of gets) expect((await api.get(path, { token })).status, path).toBe(200);
    const started = await api.post('/ops/reconciliation-runs', { checks: ['order-execution-started'] }, ops);
    expect(started.status).toBe(202);
    expect((await api.get(`/ops/reconciliation-runs/${started.body.runId}`, ops)).status).toBe(200);
    expect((await fullReads()).slice(before)).toEqual([]);
  });

  it('the recorder is live: its record is readable by ops only', async () => {
    expect((await api.get('/ops/local/full-reads', { token: 'local-sales' })).status).toBe(403);
    expect((await api.get('/ops/local/full-reads', ops)).body).toMatchObject({ count: expect.any(Number) });
  });
});
