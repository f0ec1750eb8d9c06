import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { client, eventually } from '../support/api-client.ts';

const api = client();
const ops = { token: 'local-ops' };
const notice = { correlationId: 'ful-not-ours', status: 'COMPLETED', reference: 'prov-ref-1' };
const send = (orderId: string, key?: string) =>
  api.post(`/callbacks/orders/${orderId}/tasks/t-1`, notice, { token: 'local-provisioning', key });
const metric = async () =>
  (await api.get('/ops/local/metrics', ops)).body.signals.RefusedDownstreamNotices as {
    lastHour: number | null;
    byBreakdown?: Record<string, number>;
  };

describe('refused downstream notices over HTTP', () => {
  it('a notice for an unknown task is refused, recorded once however often it comes, and ops reads the record', async () => {
    const orderId = `po-missing-${randomUUID()}`;
    const before = (await metric()).byBreakdown?.provisioning ?? 0;
    const key = randomUUID();

    const answers = [await send(orderId, key), await send(orderId, key), await send(orderId)];

    for (const a of answers) expect(a.body).toMatchObject({ code: 'UNKNOWN_TASK' });
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    const read = await api.get(`/ops/refused-notices?downstream=provisioning&orderId=${orderId}`, ops);
    expect(read.status).toBe(200);
    expect(read.body.orderCounts).toEqual({ total: 1, byCode: { UNKNOWN_TASK: 1 } });
    expect(read.body.counts.byCode.UNKNOWN_TASK).toBeGreaterThanOrEqual(1);
    expect(read.body.items.filter((r: { orderId: string }) => r.orderId === orderId)).toEqual([
      expect.objectContaining({ taskId: 't-1', code: 'UNKNOWN_TASK', reference: 'prov-ref-1' }),
    ]);
    expect((await metric()).byBreakdown?.provisioning).toBe(before + 1);
    // The lake's record of attempts: one refusal event per answer computed (the replay is not one).
    const refusals = await eventually(async () => {
      const events = (await api.get(`/ops/events?orderId=${orderId}&detailType=CommandRefusedEvent`, ops))
        .body.events as { detail: { resource: { operation: string; code: string } } }[];
      return events.length === 2 ? events : undefined;
    }, 50);
    expect(refusals.map((e) => e.detail.resource)).toEqual([
      expect.objectContaining({ operation: 'downstream-notice', code: 'UNKNOWN_TASK' }),
      expect.objectContaining({ operation: 'downstream-notice', code: 'UNKNOWN_TASK' }),
    ]);
  });

  it('pages with a sealed cursor, refuses what is not a query of it, and is for ops only', async () => {
    await send(`po-missing-${randomUUID()}`);
    await send(`po-missing-${randomUUID()}`);
    const first = await api.get('/ops/refused-notices?downstream=provisioning&limit=1', ops);
    expect(first.body.items).toHaveLength(1);
    const second = await api.get(
      `/ops/refused-notices?downstream=provisioning&limit=1&cursor=${first.body.cursor}`,
      ops,
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].at <= first.body.items[0].at).toBe(true);
    expect(second.body.items[0].noticeId).not.toBe(first.body.items[0].noticeId);
    expect((await api.get('/ops/refused-notices', ops)).status).toBe(400);
    expect((await api.get('/ops/refused-notices?downstream=provisioning&cursor=forged', ops)).status).toBe(
      400,
    );
    expect(
      (await api.get('/ops/refused-notices?downstream=provisioning', { token: 'local-sales' })).status,
    ).toBe(403);
  });
});
