import { randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { client, ordersPath, quotesPath } from '#test/api-client';
import { orderBody, resetFaults } from '#test/order-flow';
import { acceptedQuote, tmfQuoteBody } from '#test/quote-flow';

/** A client that knows only the TMF documents: no Idempotency-Key, its own externalId. */
const api = client();
const partner = { token: 'local-partner-a', key: null };
const ops = { token: 'local-ops' };
const tmfJson = 'application/json;charset=utf-8';

const expectRefused = (reply: { status: number; body: any }, fields: string[]) => {
  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('MALFORMED_REQUEST');
  expect(reply.body.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
};

describe('a TMF-only client', () => {
  it('createProductOrder keeps every attribute it accepts, refuses the others by name, and is idempotent on externalId', async () => {
    const quote = await acceptedQuote('local-partner-a');
    const attributes = {
      description: 'Head office fibre',
      priority: '1',
      category: 'enterprise',
      requestedStartDate: '2027-01-04T08:00:00Z',
      notificationContact: 'noc@acme.example',
      note: [{ text: 'call before install' }],
      relatedParty: [{ id: 'p-7', name: 'Ann Buyer', role: 'Buyer' }],
    };
    const body = orderBody(quote, attributes);
    const path = `${ordersPath}/productOrder`;
    // The fiber access takes its days: the order is still cancellable when the client cancels it.
    const slowAccess = { mode: 'long-running', count: 1, durationSeconds: 365 * 86_400, callback: false };
    expect((await api.put('/sim/provisioning/faults', slowAccess, ops)).status).toBe(200);
    onTestFinished(resetFaults);

    const refused = await api.post(path, { ...body, payment: [{ id: 'pay-1' }], agreement: [] }, partner);
    expectRefused(refused, ['payment', 'agreement']);
    expect((await api.post(path, { ...body, externalId: undefined }, partner)).body.code).toBe(
      'IDEMPOTENCY_KEY_MISSING',
    );

    const created = await api.post(path, body, partner);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe(tmfJson);
    expect(created.headers.get('location')).toBe(`${path}/${created.body.id}`);
    expect(created.body).toMatchObject({
      ...attributes,
      note: [expect.objectContaining({ text: 'call before install', author: expect.any(String) })],
    });

    const again = await api.post(path, body, partner);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(created.body.id);
    const changed = await api.post(path, { ...body, description: 'another' }, partner);
    expect([changed.status, changed.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    const partial = await api.get(`${created.headers.get('location')}?fields=priority,note`, partner);
    expect(Object.keys(partial.body).sort()).toEqual(['@type', 'href', 'id', 'note', 'priority']);
    expect((await api.get(`${path}/${created.body.id}?fields=`, partner)).status).toBe(400);

    // PATCH is as strict: an attribute it does not change is named, not dropped.
    expectRefused(
      await api.patch(`${path}/${created.body.id}`, { category: 'smb', '@baseType': 'Order' }, partner),
      ['@baseType'],
    );

    const deleted = await api.delete(`${path}/${created.body.id}`, partner);
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('GET, PATCH');
    expect(deleted.body.code).toBe('METHOD_NOT_ALLOWED');

    const cancelBody = { productOrder: { id: created.body.id }, cancellationReason: 'budget' };
    const cancel = await api.post(`${ordersPath}/cancelProductOrder`, cancelBody, partner);
    expect(cancel.status).toBe(201);
    expect(cancel.headers.get('location')).toBe(`${ordersPath}/cancelProductOrder/${cancel.body.id}`);
    const cancelAgain = await api.post(`${ordersPath}/cancelProductOrder`, cancelBody, partner);
    expect([cancelAgain.body.id, cancelAgain.headers.get('idempotent-replayed')]).toEqual([
      cancel.body.id,
      'true',
    ]);
    const cancelPartial = await api.get(
      `${ordersPath}/cancelProductOrder/${cancel.body.id}?fields=state`,
      partner,
    );
    expect(Object.keys(cancelPartial.body).sort()).toEqual(['@type', 'href', 'id', 'state']);
  });

  it('createQuote keeps description, notes, dates and other parties; refuses what it does not keep; lists count exactly', async () => {
    const accountId = `acct-${randomUUID().slice(0, 8)}`;
    const body = {
      ...tmfQuoteBody(),
      relatedParty: [
        { id: accountId, name: 'Acme', role: 'Customer' },
        { id: 'rep-1', name: 'Sam Seller', role: 'SalesRepresentative' },
      ],
      description: 'Branch rollout',
      note: [{ text: 'needs approval by Friday' }],
      requestedQuoteCompletionDate: '2027-01-10T00:00:00Z',
      expectedFulfillmentStartDate: '2027-02-01T00:00:00Z',
    };
    const path = `${quotesPath}/quote`;
    expectRefused(await api.post(path, { ...body, contactMedium: [], instantSyncQuote: true }, partner), [
      'contactMedium',
      'instantSyncQuote',
    ]);
    const created = await api.post(path, body, partner);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${path}/${created.body.id}`);
    expect(created.body).toMatchObject({
      description: 'Branch rollout',
      requestedQuoteCompletionDate: '2027-01-10T00:00:00Z',
      expectedFulfillmentStartDate: '2027-02-01T00:00:00Z',
      note: [expect.objectContaining({ text: 'needs approval by Friday' })],
      relatedParty: [expect.objectContaining({ id: accountId }), expect.objectContaining({ id: 'rep-1' })],
    });
    const replay = await api.post(path, body, partner);
    expect([replay.body.id, replay.headers.get('idempotent-replayed')]).toEqual([created.body.id, 'true']);

    const patched = await api.patch(
      `${path}/${created.body.id}`,
      { note: [{ text: 'Friday is fine' }] },
      partner,
    );
    expect(patched.body.note.map((n: { text: string }) => n.text)).toEqual([
      'needs approval by Friday',
      'Friday is fine',
    ]);
    const partial = await api.get(`${path}/${created.body.id}?fields=description`, partner);
    expect(Object.keys(partial.body).sort()).toEqual(['@type', 'description', 'href', 'id']);
    expect((await api.delete(`${path}/${created.body.id}`, partner)).headers.get('allow')).toBe('GET, PATCH');

    const all = await api.get(`${path}?limit=100&fields=state`, partner);
    expect(all.headers.get('content-type')).toBe(tmfJson);
    if (!all.headers.get('x-next-cursor'))
      expect(all.headers.get('x-total-count')).toBe(String(all.body.length));
    const first = await api.get(`${path}?limit=1&fields=state`, partner);
    expect(first.headers.get('x-next-cursor')).toBeTruthy();
    expect(first.headers.get('x-total-count')).toBeNull();
  });

  it('registerListener without Idempotency-Key: the same callback and query is the same subscription', async () => {
    const registration = {
      callback: `http://127.0.0.1:9/${randomUUID()}`,
      query: 'eventType=QuoteStateChangeEvent',
    };
    const first = await api.post(`${quotesPath}/hub`, registration, partner);
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`${quotesPath}/hub/${first.body.id}`);
    const second = await api.post(`${quotesPath}/hub`, registration, partner);
    expect(second.body.id).toBe(first.body.id);
    expectRefused(await api.post(`${quotesPath}/hub`, { ...registration, headers: {} }, partner), [
      'headers',
    ]);
    expect((await api.delete(`${quotesPath}/hub/${first.body.id}`, partner)).status).toBe(204);
  });
});
