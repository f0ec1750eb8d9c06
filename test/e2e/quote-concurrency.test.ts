import { describe, expect, it } from 'vitest';
import { client } from '../support/api-client.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const sales = { token: 'local-sales' };

describe('concurrent edits of one quote', () => {
  it('lets exactly one of two edits of the same version win; the other gets 409 or 412 and nothing is lost', async () => {
    const created = await api.post('/quotes', quoteBody([fiberLine(5)]), sales);
    const etag = created.headers.get('etag') ?? '';
    const edits = [fiberLine(12), fiberLine(18)];
    const replies = await Promise.all(
      edits.map((line) =>
        api.patch(
          `/quotes/${created.body.id}`,
          { lines: [line] },
          { ...sales, headers: { 'If-Match': etag } },
        ),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 412]).toContain(statuses[1]);
    const winner = replies.find((r) => r.status === 200)!;
    const loser = replies.find((r) => r.status !== 200)!;
    expect(['VERSION_CONFLICT', 'PRECONDITION_FAILED']).toContain(loser.body.code);

    const stored = await api.get(`/quotes/${created.body.id}`, sales);
    expect(stored.body.version).toBe(winner.body.version);
    expect(stored.body.lines).toEqual(winner.body.lines);

    // The loser retries on the new version and wins: its edit is not lost, only serialized.
    const retried = await api.patch(
      `/quotes/${created.body.id}`,
      { lines: [edits[replies.indexOf(loser)]!] },
      { ...sales, headers: { 'If-Match': stored.headers.get('etag') ?? '' } },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.version).toBe(stored.body.version + 1);
  });
});
