import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, eventually } from '../support/api-client.ts';
import { type StackProcess, startStackProcess } from '../support/local-stack-process.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';

/**
 * The read models' table refusing writes for longer than the projector's retries: the projector
 * parks the batch on its on-failure queue, and `projection-redrive` projects it once the table
 * takes writes again. Its own stack: the table fault is global to a stack.
 */
let stack: StackProcess;
let api: ReturnType<typeof client>;
const ops = { token: 'local-ops' };

beforeAll(async () => {
  stack = await startStackProcess(['--time-scale', '0.02', '--schedule-interval-ms', '3600000']);
  api = client(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

const parked = async () =>
  (
    (await api.get('/health', { token: 'local-ops' })).body.components.queues as {
      name: string;
      parked: number;
    }[]
  ).find((q) => q.name === 'projection-parked')!.parked;
const inInbox = async (quoteId: string) =>
  (
    (await api.get('/views/approval-inbox', { token: 'local-approver' })).body.items as { quoteId: string }[]
  ).some((i) => i.quoteId === quoteId);

describe('a projector batch parked after its retries is projected again', () => {
  it('parks while the read models refuse writes, and the redrive projects it when they are back', async () => {
    const fault = await api.put(
      '/ops/local/faults/tables/readModels',
      { error: 'InternalServerError', operations: ['write'] },
      ops,
    );
    expect(fault.status).toBe(200);
    const created = await api.post('/quotes', quoteBody([fiberLine(20)]), { token: 'local-sales' });
    expect(created.status).toBe(201);
    const quoteId = created.body.id as string;
    expect((await api.post(`/quotes/${quoteId}/price`, {}, { token: 'local-sales' })).status).toBe(200);
    expect((await api.post(`/quotes/${quoteId}/submit`, {}, { token: 'local-sales' })).status).toBe(200);

    // The projector gave up: the batch waits on its queue, the view does not show the quote.
    await eventually(async () => ((await parked()) > 0 ? true : undefined), 300);
    expect(await inInbox(quoteId)).toBe(false);

    const back = await fetch(`${stack.url}/ops/local/faults/tables/readModels`, {
      method: 'DELETE',
      headers: { Authorization: 'Bearer local-ops' },
    });
    expect(back.status).toBe(200);
    await eventually(async () => ((await inInbox(quoteId)) ? true : undefined), 300);
    await eventually(async () => ((await parked()) === 0 ? true : undefined), 300);
  }, 120_000);
});
