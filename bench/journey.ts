/** The channel's side of the bench: the quote → order journey over HTTP against the local stack. */
import { randomUUID } from 'node:crypto';
import { fiberLine, quoteBody as requestBody } from '../test/support/request-bodies.ts';

export const ordersPath = '/tmf-api/productOrderingManagement/v4/productOrder';

export type Call = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  body?: unknown;
  token?: string;
  key?: string;
  headers?: Record<string, string>;
  correlationId?: string;
};

export const client = (baseUrl: string) => {
  let requests = 0;
  const send = async (call: Call) => {
    requests++;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${call.token ?? 'local-sales'}`,
      'X-Correlation-Id': call.correlationId ?? randomUUID(),
      ...(call.headers ?? {}),
    };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    if (call.method === 'POST') headers['Idempotency-Key'] = call.key ?? randomUUID();
    const res = await fetch(`${baseUrl}${call.path}`, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as Record<string, any>,
    };
  };
  /** Sends and insists on the expected status. */
  const expect = async (status: number, call: Call) => {
    const reply = await send(call);
    if (reply.status !== status)
      throw new Error(`${call.method} ${call.path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply;
  };
  return { send, expect, requests: () => requests };
};
export type Client = ReturnType<typeof client>;

export const quoteBody = (discountPercent = 0) => requestBody([fiberLine(discountPercent)]);

export const orderBody = (quote: Record<string, any>) => ({
  quote: [{ id: quote.id }],
  billingAccount: { id: `ba-${randomUUID().slice(0, 8)}` },
  productOrderItem: (quote.lines as { id: string }[]).map((line, i) => ({
    id: String(i + 1),
    action: 'add',
    quoteItem: { id: line.id },
  })),
});

/** Each step of the journey as one call, given what the previous step answered. */
export const steps = {
  create: (): Call => ({ method: 'POST', path: '/quotes', body: quoteBody() }),
  price: (q: { id: string }): Call => ({ method: 'POST', path: `/quotes/${q.id}/price`, body: {} }),
  submit: (q: { id: string }): Call => ({ method: 'POST', path: `/quotes/${q.id}/submit`, body: {} }),
  accept: (q: { id: string }): Call => ({ method: 'POST', path: `/quotes/${q.id}/accept`, body: {} }),
  order: (q: Record<string, any>): Call => ({ method: 'POST', path: ordersPath, body: orderBody(q) }),
};

/** Create, price, submit, accept: an accepted quote ready for conversion. */
export const acceptedQuote = async (api: Client) => {
  const created = await api.expect(201, steps.create());
  await api.expect(200, steps.price(created.body as { id: string }));
  await api.expect(200, steps.submit(created.body as { id: string }));
  return (await api.expect(200, steps.accept(created.body as { id: string }))).body;
};
