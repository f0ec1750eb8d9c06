import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { client, quotesPath } from '../support/api-client.ts';
import { fiberLine } from '../support/quote-flow.ts';

const api = client();
const body = (accountId: string) => ({
  customer: { accountId, name: 'Acme' },
  currency: 'USD',
  lines: [fiberLine()],
});

describe('accounts a partner names are scoped to its channel', () => {
  it('another partner channel cannot attach quotes to the account; its owner and internal roles can', async () => {
    const accountId = `acct-${randomUUID().slice(0, 8)}`;
    expect((await api.post('/quotes', body(accountId), { token: 'local-partner-a' })).status).toBe(201);

    const intruder = await api.post('/quotes', body(accountId), { token: 'local-partner-b' });
    expect(intruder.status).toBe(422);
    expect(intruder.body.code).toBe('ACCOUNT_NOT_IN_CHANNEL');
    expect(JSON.stringify(intruder.body)).not.toContain('partner-a');
    const viaTmf648 = await api.post(
      `${quotesPath}/quote`,
      {
        relatedParty: [{ id: accountId, name: 'Acme', role: 'Customer' }],
        quoteItem: [
          {
            productOffering: { id: 'off-fiber-1g' },
            product: { productCharacteristic: [{ name: 'term', value: 24 }] },
          },
        ],
      },
      { token: 'local-partner-b' },
    );
    expect(viaTmf648.status).toBe(422);

    expect((await api.post('/quotes', body(accountId), { token: 'local-partner-a' })).status).toBe(201);
    expect((await api.post('/quotes', body(accountId), { token: 'local-sales' })).status).toBe(201);
    // Nothing of the refused requests was written: partner B's timeline for the account is empty.
    const timeline = await api.get(`/views/accounts/${accountId}/timeline`, { token: 'local-partner-b' });
    expect(timeline.body.items ?? []).toEqual([]);
  });
});
