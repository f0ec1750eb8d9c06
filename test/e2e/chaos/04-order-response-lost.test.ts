import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { client, ordersPath } from '../../support/api-client.ts';
import { type ChaosRow, clearFaults, injectFault, rowTitle } from '../../support/faults.ts';
import {
  acceptedFiberQuote,
  activations,
  expectEachOnce,
  orderBody,
  orderInState,
  settled,
  subscriptions,
} from '../../support/order-flow.ts';

const api = client();
const sales = { token: 'local-sales' };

const row: ChaosRow = {
  row: 4,
  scenario: 'Order submit response lost',
  injectedFailure:
    'order-create runs and commits, then its answer is replaced by a 504 (AWS FIS aws:lambda:invocation-http-integration-response, preventExecution false)',
  affectedJourney: 'convert an accepted quote into a TMF622 productOrder',
  protectedInvariant: 'one accepted quote gives exactly one canonical order, whatever the client retries',
  expectedTransition: 'quote accepted → one order acknowledged → completed',
  userVisible:
    'the first call answers 504; the retry with the same Idempotency-Key answers 201 with the same order and Idempotent-Replayed; another key answers 409 QUOTE_ALREADY_CONVERTED with details.orderId',
  eventOrMetric: 'one ProductOrderCreateEvent; DuplicateConversionAttempt counted',
  recovery: 'the client retries with the same key (contract)',
  repairPath: 'none: no duplicate to cancel',
  reconciliationCheck: 'orders by quoteId: exactly one; activations and subscriptions once per task',
  passFail: 'same order id on every retry, one order for the quote, side effects once',
};

describe.sequential('chaos', () => {
  afterEach(() => clearFaults());

  it(rowTitle(row), async () => {
    const quote = await acceptedFiberQuote();
    const body = orderBody(quote);
    const key = randomUUID();
    await injectFault('functions', { statusCode: 504, preventExecution: false, count: 1 }, 'order-create');

    const lost = await api.post(`${ordersPath}/productOrder`, body, { ...sales, key });
    expect(lost.status).toBe(504);

    const retried = await api.post(`${ordersPath}/productOrder`, body, { ...sales, key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const orderId = retried.body.id as string;

    const otherKey = await api.post(`${ordersPath}/productOrder`, body, sales);
    expect(otherKey.status).toBe(409);
    expect(otherKey.body.code).toBe('QUOTE_ALREADY_CONVERTED');
    expect(otherKey.body.details.orderId).toBe(orderId);

    const list = await api.get(`${ordersPath}/productOrder?quoteId=${quote.id}`, sales);
    expect(list.body.map((o: { id: string }) => o.id)).toEqual([orderId]);
    await orderInState(orderId, 'completed');
    await settled(orderId);
    expectEachOnce(await activations(orderId));
    expect(await subscriptions(orderId)).toHaveLength(1);
  });
});
