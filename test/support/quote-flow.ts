import { client } from './api-client.ts';

export type LineBody = {
  offeringId: string;
  quantity: number;
  options: Record<string, string | number>;
  discountPercent?: number;
};

export const fiberLine = (discountPercent = 0): LineBody => ({
  offeringId: 'off-fiber-1g',
  quantity: 1,
  options: { term: 24, install: 'standard' },
  ...(discountPercent ? { discountPercent } : {}),
});

export const quoteBody = (
  lines: LineBody[] = [fiberLine()],
  accountId = `acct-${Math.random().toString(36).slice(2, 10)}`,
) => ({
  customer: { accountId, name: 'Acme Manufacturing' },
  currency: 'USD',
  lines,
});

/** A TMF648 createQuote body: one fiber line, optionally discounted. */
export const tmfQuoteBody = (discount = 0) => ({
  externalId: `ext-${Math.random().toString(36).slice(2, 8)}`,
  relatedParty: [{ id: `acct-${Math.random().toString(36).slice(2, 8)}`, name: 'Acme', role: 'Customer' }],
  quoteItem: [
    {
      id: '1',
      action: 'add',
      quantity: 1,
      productOffering: { id: 'off-fiber-1g' },
      product: { productCharacteristic: [{ name: 'term', value: 24 }] },
      ...(discount ? { quoteItemPrice: [{ priceAlteration: [{ price: { percentage: discount } }] }] } : {}),
    },
  ],
});

/** Create → price → submit (→ approve when needed) → accept, as a channel would. */
export const acceptedQuote = async (
  token = 'local-sales',
  lines: LineBody[] = [fiberLine()],
  accountId?: string,
  baseUrl?: string,
) => {
  const api = client(baseUrl);
  const created = await api.post('/quotes', quoteBody(lines, accountId), { token });
  if (created.status !== 201) throw new Error(`create ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const steps: [string, string][] = [
    [`/quotes/${id}/price`, token],
    [`/quotes/${id}/submit`, token],
  ];
  for (const [path, t] of steps) {
    const r = await api.post(path, {}, { token: t });
    if (r.status !== 200) throw new Error(`${path} ${r.status} ${JSON.stringify(r.body)}`);
  }
  const current = await api.get(`/quotes/${id}`, { token });
  if (current.body.state === 'pending') {
    const r = await api.post(
      `/quotes/${id}/approvals`,
      { decision: 'APPROVE', comment: 'ok' },
      { token: 'local-approver' },
    );
    if (r.status !== 200) throw new Error(`approve ${r.status} ${JSON.stringify(r.body)}`);
  }
  const accepted = await api.post(`/quotes/${id}/accept`, {}, { token });
  if (accepted.status !== 200) throw new Error(`accept ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return accepted.body as Record<string, any>;
};
