import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { client } from '../support/api-client.ts';
import { quoteBody } from '../support/quote-flow.ts';

const api = client();

describe('idempotent commands over HTTP', () => {
  it('replays the first response with Idempotent-Replayed for the same key and payload', async () => {
    const key = randomUUID();
    const body = quoteBody();
    const first = await api.post('/quotes', body, { token: 'local-sales', key });
    const second = await api.post('/quotes', body, { token: 'local-sales', key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses a reused key with another payload (422) and a missing key (400), writing nothing', async () => {
    const key = randomUUID();
    await api.post('/quotes', quoteBody(), { token: 'local-sales', key });
    const reused = await api.post('/quotes', quoteBody(), { token: 'local-sales', key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const missing = await api.post('/quotes', quoteBody(), { token: 'local-sales', key: null });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
    expect(missing.body.correlationId).toBe(missing.headers.get('x-correlation-id'));
  });

  it('scopes keys by principal: the same key from another channel is a new request', async () => {
    const key = randomUUID();
    const a = await api.post('/quotes', quoteBody(), { token: 'local-partner-a', key });
    const b = await api.post('/quotes', quoteBody(), { token: 'local-partner-b', key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('gives one execution and 409 IDEMPOTENCY_REQUEST_IN_PROGRESS or a replay to concurrent duplicates', async () => {
    const key = randomUUID();
    const body = quoteBody();
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => api.post('/quotes', body, { token: 'local-sales', key })),
    );
    const created = replies.filter((r) => r.status === 201);
    const ids = new Set(created.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    for (const r of replies.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      expect(r.headers.get('retry-after')).toBeTruthy();
    }
    const after = await api.post('/quotes', body, { token: 'local-sales', key });
    expect(after.status).toBe(201);
    expect(after.body.id).toBe([...ids][0]);
  });
});
