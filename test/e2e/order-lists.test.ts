import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { client, ordersPath } from '../support/api-client.ts';
import { createOrder } from '../support/order-flow.ts';
import { acceptedQuote } from '../support/quote-flow.ts';

const api = client();
type Page = { ids: string[]; next: string | null; status: number; body: any };

const page = async (query: string, token: string): Promise<Page> => {
  const r = await api.get<Record<string, any>[]>(`${ordersPath}/productOrder?${query}`, { token });
  return {
    status: r.status,
    body: r.body,
    ids: r.status === 200 ? r.body.map((o) => o.id as string) : [],
    next: r.headers.get('x-next-cursor'),
  };
};

describe('order lists by access pattern, newest first, one page at a time', () => {
  it('a customer’s orders page by cursor and by offset, newest first, confined to the partner’s channel', async () => {
    const accountId = `acct-${randomUUID().slice(0, 8)}`;
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const quote = await acceptedQuote('local-partner-a', undefined, accountId);
      created.push((await createOrder(quote, 'local-partner-a')).body.id as string);
    }
    const newestFirst = [...created].reverse();

    const first = await page(`accountId=${accountId}&limit=2`, 'local-partner-a');
    expect(first.ids).toEqual(newestFirst.slice(0, 2));
    expect(first.next).toEqual(expect.any(String));
    const second = await page(`accountId=${accountId}&limit=2&cursor=${first.next}`, 'local-partner-a');
    expect(second.ids).toEqual(newestFirst.slice(2));
    expect(second.next).toBeNull();
    const byOffset = await page(`accountId=${accountId}&limit=2&offset=1`, 'local-partner-a');
    expect(byOffset.ids).toEqual(newestFirst.slice(1, 3));

    // Staff see the same list; another partner sees none of it.
    expect((await page(`accountId=partner-a:${accountId}`, 'local-ops')).ids).toEqual(newestFirst);
    expect((await page(`accountId=${accountId}`, 'local-partner-b')).ids).toEqual([]);

    // A partner's channel list holds its orders, newest first, and never another channel's.
    const channel = await page('limit=100', 'local-partner-a');
    expect(channel.ids.slice(0, 3)).toEqual(newestFirst);
    const other = await page('limit=100', 'local-partner-b');
    expect(other.ids.filter((id) => created.includes(id))).toEqual([]);
    expect(other.body.every((o: any) => o.channel?.[0]?.id !== 'partner-a')).toBe(true);
  });

  it('the all-orders list (ops) and the channel-and-state list page without repeating an order', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++) {
      const p: Page = await page(`limit=2${cursor ? `&cursor=${cursor}` : ''}`, 'local-ops');
      expect(p.status).toBe(200);
      for (const id of p.ids) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
      cursor = p.next;
      if (!cursor) break;
    }
    expect(seen.size).toBeGreaterThan(0);
    const acknowledged = await page('channelId=partner-a&state=acknowledged&limit=5', 'local-sales');
    expect(acknowledged.status).toBe(200);
    for (const o of acknowledged.body) expect(o.state).toBe('acknowledged');
  });

  it('a bad cursor or an offset past the cap is a 400 with the field named', async () => {
    const bad = await page('cursor=bm90LWEtY3Vyc29y', 'local-ops');
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const deep = await page('offset=5000', 'local-ops');
    expect(deep.status).toBe(400);
    expect(deep.body.details.fields).toEqual([expect.objectContaining({ field: 'offset' })]);
  });
});
