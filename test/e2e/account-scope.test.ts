import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { client, eventually, ordersPath, quotesPath } from '../support/api-client.ts';
import { orderBody } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, tmfQuoteBody } from '../support/quote-flow.ts';

const api = client();
const partnerA = { token: 'local-partner-a' };
const partnerB = { token: 'local-partner-b' };
const ops = { token: 'local-ops' };
const body = (accountId: string, name: string) => ({
  customer: { accountId, name },
  currency: 'USD',
  lines: [fiberLine()],
});
const tag = () => randomUUID().slice(0, 8);

/** DynamoDB requests one API request made, as the local stack counts them on the handlers' client. */
const requestsFor = async (path: string, token: string): Promise<number> => {
  const correlationId = `count-${randomUUID()}`;
  const r = await api.get(path, { token, headers: { 'X-Correlation-Id': correlationId } });
  expect(r.status, path).toBe(200);
  const tally = await api.get(`/ops/local/dynamo-requests/${correlationId}`, ops);
  expect(tally.status).toBe(200);
  return tally.body.requests as number;
};

describe('account ids are namespaced per channel', () => {
  it('two channels use the same account id for different customers; staff name the real id', async () => {
    const accountId = `acct-${tag()}`;
    const a = await api.post('/quotes', body(accountId, 'Acme of A'), partnerA);
    const b = await api.post('/quotes', body(accountId, 'Beta of B'), partnerB);
    // Nothing to claim or probe: an id another channel uses is as free as an unused one.
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.customer.accountId).toBe(accountId);

    const quotesIn = async (path: string, token: string, expected: string[]) =>
      eventually(async () => {
        const t = await api.get(path, { token });
        const ids = [...new Set((t.body.items ?? []).map((e: any) => e.related.quoteId))];
        return JSON.stringify(ids) === JSON.stringify(expected) ? t.body : undefined;
      });
    const timeline = `/views/accounts/${accountId}/timeline`;
    await quotesIn(timeline, partnerA.token, [a.body.id]);
    await quotesIn(timeline, partnerB.token, [b.body.id]);
    const staffView = await quotesIn(`/views/accounts/partner-a:${accountId}/timeline`, ops.token, [
      a.body.id,
    ]);
    expect(staffView.accountId).toBe(`partner-a:${accountId}`);
  });

  it('TMF648 relatedParty.id follows the id rules of every other id', async () => {
    for (const id of ['acct-a-1 ', 'acct#x/../y', '<b>acct</b>']) {
      const reply = await api.post(
        `${quotesPath}/quote`,
        { ...tmfQuoteBody(), relatedParty: [{ id, name: 'Acme', role: 'Customer' }] },
        partnerA,
      );
      expect(reply.status, id).toBe(400);
    }
  });

  it("a partner's query costs the same DynamoDB requests for a busy and for an unused foreign account", async () => {
    const busy = `acct-${tag()}`;
    const externalId = `PO-${tag()}`;
    for (let i = 0; i < 3; i++) {
      const quote = await acceptedQuote(partnerA.token, undefined, busy);
      const order = await api.post(`${ordersPath}/productOrder`, orderBody(quote, { externalId }), partnerA);
      expect(order.status).toBe(201);
    }
    // Partner A's own reads see its data (so the foreign partitions are really busy).
    await eventually(async () => {
      const t = await api.get(`/views/accounts/${busy}/timeline?limit=100`, partnerA);
      return t.body.count >= 9 ? true : undefined;
    });
    const mine = await api.get(`${ordersPath}/productOrder?externalId=${externalId}`, partnerA);
    expect(mine.body).toHaveLength(3);

    const unused = `acct-${tag()}`;
    const queries = (account: string, ref: string) => [
      `/views/accounts/${account}/timeline?limit=1`,
      `${ordersPath}/productOrder?accountId=${account}&limit=1`,
      `${ordersPath}/productOrder?externalId=${ref}&limit=1`,
    ];
    const againstBusy = queries(busy, externalId);
    const againstUnused = queries(unused, `PO-${tag()}`);
    for (const [i, path] of againstBusy.entries()) {
      expect(await requestsFor(path, partnerB.token), path).toBe(
        await requestsFor(againstUnused[i]!, partnerB.token),
      );
    }
  });
});
