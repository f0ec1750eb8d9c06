import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ordersPath, quotesPath, stackUrl } from '#test/api-client';
import { startSubscriber } from '#test/hub-subscriber';
import { type PrismProxy, startPrism, type Violation, violationsOf } from '#test/prism-proxy';
import { tmfQuoteBody } from '#test/quote-flow';
import { acceptedTmfQuirks, type Exchange } from '#test/tmf-quirks';
import { validateTmf } from '#test/tmf-schema';

/**
 * Third-party conformance: a TMF client's flow through Stoplight Prism as a validating proxy,
 * once against the official TMF622 and TMF648 documents and once against the project's own
 * `/openapi.json`. Every violation Prism reports fails the test unless it is one of the accepted
 * quirks of the TMF documents (test/support/tmf-quirks.ts, reasoned in docs/tmf.md).
 */
const stack = stackUrl();
const conformance = (file: string) => new URL(`../../conformance/${file}`, import.meta.url).pathname;
let tmf622: PrismProxy;
let tmf648: PrismProxy;
let own: PrismProxy;

beforeAll(async () => {
  const document = join(tmpdir(), `cpq-oms-openapi-${process.pid}.json`);
  writeFileSync(document, await (await fetch(`${stack}/openapi.json`)).text());
  [tmf622, tmf648, own] = await Promise.all([
    startPrism(conformance('TMF622-ProductOrdering-v4.0.0.swagger.json'), `${stack}${ordersPath}`),
    startPrism(conformance('TMF648-Quote-v4.0.0.swagger.json'), `${stack}${quotesPath}`),
    startPrism(document, stack),
  ]);
}, 180_000);

afterAll(() => {
  for (const proxy of [tmf622, tmf648, own]) proxy?.stop();
});

type Bases = { orders: string; quotes: string };

/** A client that knows only the TMF documents: its own externalId, no Idempotency-Key. */
const tmfClient = (bases: Bases, exchanges: Exchange[]) => {
  const call = async (
    method: string,
    api: keyof Bases,
    path: string,
    body?: unknown,
    invalidOnPurpose = false,
  ) => {
    const res = await fetch(`${bases[api]}${path}`, {
      method,
      headers: {
        Authorization: 'Bearer local-partner-a',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json;charset=utf-8' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const reply = { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    exchanges.push({
      method,
      path,
      status: res.status,
      violations: violationsOf(res.headers),
      invalidOnPurpose,
    });
    return reply;
  };
  return {
    get: (api: keyof Bases, path: string) => call('GET', api, path),
    post: (api: keyof Bases, path: string, body: unknown) => call('POST', api, path, body),
    patch: (api: keyof Bases, path: string, body: unknown) => call('PATCH', api, path, body),
    delete: (api: keyof Bases, path: string) => call('DELETE', api, path),
    refused: (api: keyof Bases, path: string, body: unknown) => call('POST', api, path, body, true),
  };
};

/** The realistic flow: TMF648 quote to acceptance, TMF622 order, patch, cancellation, hubs. */
const runFlow = async (bases: Bases, official: boolean): Promise<Exchange[]> => {
  const exchanges: Exchange[] = [];
  const tmf = tmfClient(bases, exchanges);
  const subscriber = await startSubscriber();
  try {
    const orderHub = await tmf.post('orders', '/hub', { callback: subscriber.callback });
    const quoteHub = await tmf.post('quotes', '/hub', { callback: subscriber.callback });
    expect([orderHub.status, quoteHub.status]).toEqual([201, 201]);

    const quoteBody = tmfQuoteBody();
    const created = await tmf.post('quotes', '/quote', {
      ...quoteBody,
      relatedParty: quoteBody.relatedParty.map((p) => ({ ...p, '@referredType': 'Organization' })),
      description: 'conformance',
    });
    expect(created.status).toBe(201);
    const quoteId = created.body.id as string;
    expect((await tmf.get('quotes', `/quote/${quoteId}`)).status).toBe(200);
    expect((await tmf.get('quotes', `/quote/${quoteId}?fields=state`)).status).toBe(200);
    expect((await tmf.get('quotes', '/quote?fields=state,description&limit=3')).status).toBe(200);
    expect((await tmf.get('quotes', '/quote?limit=2&offset=1')).status).toBe(200);
    expect(
      (await tmf.patch('quotes', `/quote/${quoteId}`, { note: [{ id: 'n-1', text: 'ok' }] })).status,
    ).toBe(200);
    expect((await tmf.patch('quotes', `/quote/${quoteId}`, { state: 'pending' })).body.state).toBe(
      'approved',
    );
    const accepted = await tmf.patch('quotes', `/quote/${quoteId}`, { state: 'accepted' });
    expect(accepted.body.state).toBe('accepted');

    const orderBody = {
      externalId: `conf-${quoteId}`,
      quote: [{ id: quoteId }],
      billingAccount: { id: 'ba-conformance' },
      description: 'conformance order',
      productOrderItem: [
        { id: '1', action: 'add', quoteItem: { id: accepted.body.quoteItem[0].id, quoteId } },
      ],
    };
    expect((await tmf.refused('orders', '/productOrder', { ...orderBody, payment: [] })).status).toBe(400);
    const order = await tmf.post('orders', '/productOrder', orderBody);
    expect(order.status).toBe(201);
    const orderId = order.body.id as string;
    expect((await tmf.post('orders', '/productOrder', orderBody)).body.id).toBe(orderId);
    expect((await tmf.get('orders', `/productOrder/${orderId}`)).status).toBe(200);
    expect((await tmf.get('orders', `/productOrder/${orderId}?fields=state,description`)).status).toBe(200);
    expect((await tmf.get('orders', `/productOrder?externalId=${orderBody.externalId}`)).status).toBe(200);
    expect((await tmf.get('orders', '/productOrder?fields=state&limit=3')).status).toBe(200);
    const patched = await tmf.patch('orders', `/productOrder/${orderId}`, { priority: '2' });
    // The order may have passed its point of no return already (fulfillment runs at once).
    expect([200, 422]).toContain(patched.status);
    if (official) expect((await tmf.delete('orders', `/productOrder/${orderId}`)).status).toBe(405);

    const cancellation = { productOrder: { id: orderId }, cancellationReason: 'conformance' };
    const cancel = await tmf.post('orders', '/cancelProductOrder', cancellation);
    expect([201, 422]).toContain(cancel.status);
    if (cancel.status === 201) {
      expect((await tmf.get('orders', `/cancelProductOrder/${cancel.body.id}`)).status).toBe(200);
    }
    expect((await tmf.get('orders', '/cancelProductOrder?limit=3')).status).toBe(200);

    // The hubs delivered the quote's and the order's events in the TMF envelopes.
    const events = await eventually(async () => {
      const types = new Set(subscriber.received.map((e) => e.eventType));
      return types.has('QuoteStateChangeEvent') && types.has('ProductOrderCreateEvent')
        ? [...subscriber.received]
        : undefined;
    });
    for (const event of events) {
      const api = String(event.eventType).startsWith('Quote') ? 'TMF648' : 'TMF622';
      expect(validateTmf(api, event.eventType, event).errors, event.eventType).toEqual([]);
    }
    expect((await tmf.delete('orders', `/hub/${orderHub.body.id}`)).status).toBe(204);
    expect((await tmf.delete('quotes', `/hub/${quoteHub.body.id}`)).status).toBe(204);
  } finally {
    await subscriber.close();
  }
  return exchanges;
};

const unaccepted = (exchanges: Exchange[], document: 'official' | 'own') =>
  exchanges.flatMap((exchange) =>
    exchange.violations
      // The own document says what a request refused on purpose breaks: the violation is the point.
      .filter(
        (v) =>
          !(
            document === 'own' &&
            exchange.invalidOnPurpose &&
            exchange.status === 400 &&
            v.location[0] === 'request'
          ),
      )
      .filter(
        (v: Violation) =>
          !acceptedTmfQuirks.some((q) => q.documents.includes(document) && q.matches(exchange, v)),
      )
      .map((v) => ({ call: `${exchange.method} ${exchange.path} → ${exchange.status}`, ...v })),
  );

describe('TMF conformance through a validating proxy (Stoplight Prism)', () => {
  it('the flow breaks nothing of the official TMF622 and TMF648 documents but the accepted quirks', async () => {
    const exchanges = await runFlow({ orders: tmf622.url, quotes: tmf648.url }, true);
    expect(unaccepted(exchanges, 'official')).toEqual([]);
    // Prism saw the whole flow (a request it cannot place would be a "route not found" above).
    expect(exchanges.length).toBeGreaterThan(20);
  });

  it('the same flow breaks nothing of the project’s own OpenAPI document', async () => {
    const exchanges = await runFlow(
      { orders: `${own.url}${ordersPath}`, quotes: `${own.url}${quotesPath}` },
      false,
    );
    expect(unaccepted(exchanges, 'own')).toEqual([]);
  });
});
