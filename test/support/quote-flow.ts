import { client } from './api-client.ts';
import { fiberLine, type LineBody, quoteBody } from './request-bodies.ts';

export { fiberLine, type LineBody, quoteBody, tmfQuoteBody } from './request-bodies.ts';

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
