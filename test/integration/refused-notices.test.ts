import { describe, expect, it } from 'vitest';
import {
  downstreamRefusalCounts,
  listRefusedNotices,
  orderRefusalCounts,
} from '#adapters/refused-notice-store';
import { recordDownstreamNotice } from '#commands/order/record-downstream-notice';
import type { Actor } from '#domain/actor';
import type { DownstreamNotice } from '#domain/order/downstream-notice';
import { refusalDay } from '#domain/order/refused-notice';
import { inFlightOrder, now, person, stored } from './order-in-flight.ts';

const provisioning: Actor = {
  principalId: 'provisioning-system',
  role: 'downstream',
  channelId: 'downstream-provisioning',
};
/** Each test its own downstream, so its log and counts are its own on the shared table. */
const downstreamActor = (system: string): Actor => ({ ...provisioning, channelId: `downstream-${system}` });

const send = (orderId: string, taskId: string, notice: DownstreamNotice, actor = provisioning) =>
  recordDownstreamNotice(orderId, taskId, notice, person(actor)).catch((e: unknown) => e);

const completed = (correlationId: string, reference: string): DownstreamNotice => ({
  correlationId,
  status: 'COMPLETED',
  reference,
});

describe('a refused downstream notice is recorded once, and the order is untouched', () => {
  it('a notice for a task never sent is refused with its code, logged and counted for the downstream and the order', async () => {
    const orderId = await inFlightOrder();
    const before = await stored(orderId);
    const task = before.aggregate.tasks.find((t) => t.state === 'PENDING')!;
    const notice = completed(task.correlationId, 'ref-early');

    const refusal = await send(orderId, task.id, notice);

    expect(refusal).toMatchObject({ code: 'TASK_NOT_DISPATCHED' });
    expect((await stored(orderId)).version).toBe(before.version);
    const page = await listRefusedNotices('provisioning', 100);
    expect(page.items.find((r) => r.orderId === orderId)).toMatchObject({
      taskId: task.id,
      code: 'TASK_NOT_DISPATCHED',
      status: 'COMPLETED',
      reference: 'ref-early',
      correlationId: task.correlationId,
    });
    expect(await orderRefusalCounts(orderId)).toEqual({ total: 1, byCode: { TASK_NOT_DISPATCHED: 1 } });
  });

  it('the same notice delivered again is refused again but neither logged nor counted twice; another notice is', async () => {
    const actor = downstreamActor(`sim-${Date.now()}`);
    const system = actor.channelId.replace('downstream-', '');
    const orderId = `po-missing-${Date.now()}`;
    const notice = completed('corr-x', 'ref-1');

    const first = await send(orderId, 'no-such-task', notice, actor);
    const again = await send(orderId, 'no-such-task', { ...notice, message: 'retry' }, actor);
    const other = await send(orderId, 'no-such-task', completed('corr-x', 'ref-2'), actor);

    for (const refusal of [first, again, other]) expect(refusal).toMatchObject({ code: 'UNKNOWN_TASK' });
    const page = await listRefusedNotices(system, 100);
    expect(page.items.map((r) => r.reference).sort()).toEqual(['ref-1', 'ref-2']);
    expect(await downstreamRefusalCounts(system, refusalDay(now()))).toEqual({
      total: 2,
      byCode: { UNKNOWN_TASK: 2 },
    });
    expect(await orderRefusalCounts(orderId)).toEqual({ total: 2, byCode: { UNKNOWN_TASK: 2 } });
  });

  it('concurrent deliveries of one notice count it once', async () => {
    const actor = downstreamActor(`race-${Date.now()}`);
    const system = actor.channelId.replace('downstream-', '');
    const orderId = `po-missing-race-${Date.now()}`;
    const refusals = await Promise.all(
      Array.from({ length: 4 }, () => send(orderId, 't-1', completed('corr-y', 'ref-y'), actor)),
    );
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: 'UNKNOWN_TASK' });
    expect((await listRefusedNotices(system, 100)).items).toHaveLength(1);
    expect(await orderRefusalCounts(orderId)).toEqual({ total: 1, byCode: { UNKNOWN_TASK: 1 } });
  });

  it('the log pages newest first', async () => {
    const actor = downstreamActor(`paged-${Date.now()}`);
    const system = actor.channelId.replace('downstream-', '');
    for (const ref of ['r-1', 'r-2', 'r-3'])
      await send(`po-missing-${ref}-${Date.now()}`, 't-1', completed('c', ref), actor);

    const first = await listRefusedNotices(system, 2);
    const second = await listRefusedNotices(system, 2, first.last);

    expect([...first.items, ...second.items].map((r) => r.reference)).toEqual(['r-3', 'r-2', 'r-1']);
    expect(second.last).toBeUndefined();
  });
});
