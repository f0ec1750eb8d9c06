import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import {
  activations,
  createOrder,
  events,
  expectEachOnce,
  expectTmf,
  getOrder,
  orderInState,
  resetFaults,
  setFault,
  subscriptions,
} from '../support/order-flow.ts';
import { acceptedQuote, fiberLine } from '../support/quote-flow.ts';

const api = client();
const partner = { token: 'local-partner-a' };
const ops = { token: 'local-ops' };
const sdwanLine = { offeringId: 'off-sdwan', quantity: 1, options: { sites: 2 } };
const revisionPath = (orderId: string) => `${ordersPath}/productOrder/${orderId}/revision`;

/** A new account per test: its quotes, its order and its timeline are its own. */
const account = () => `acct-rev-${randomUUID().slice(0, 8)}`;

/** The revision request: the new quote and its lines as order items under the ids given. */
const revisionBody = (revision: number, quote: Record<string, any>, itemIds: string[]) => ({
  revision,
  quote: [{ id: quote.id }],
  productOrderItem: (quote.lines as { id: string }[]).map((line, i) => ({
    id: itemIds[i],
    action: 'add',
    quoteItem: { id: line.id },
  })),
  reason: 'customer moved to SD-WAN',
});

/**
 * The order's first provisioning request as the (slow) simulator received it: the dispatch was
 * recorded on the order before it was sent, and the simulator holds the answer back.
 */
const inFlight = (orderId: string) =>
  eventually(async () => {
    const received = await activations(orderId);
    return received.length > 0 ? received[0] : undefined;
  });

/** The order's revision events as the bus accepted them (published after the write, asynchronously). */
const revisionEventsOf = (orderId: string) =>
  eventually(async () => {
    const published = (await events(orderId)).filter((e) => e['detail-type'] === 'ProductOrderRevisionEvent');
    return published.length > 0 ? published : undefined;
  });

describe('amending an order in flight (revision to a new accepted quote)', () => {
  afterEach(resetFaults);

  it('an item past its point of no return is refused with 422 naming it and nothing changes; an item added beside it by TMF622 PATCH completes', async () => {
    const accountId = account();
    const [original, revised, widened] = await Promise.all([
      acceptedQuote(partner.token, [sdwanLine], accountId),
      acceptedQuote(partner.token, [fiberLine()], accountId),
      acceptedQuote(partner.token, [sdwanLine, fiberLine()], accountId),
    ]);
    // Long enough for the refusals and the PATCH to land before billing could start.
    await setFault('provisioning', 'slow', 1, 6000);
    const orderId = (await createOrder(original, partner.token)).body.id as string;
    const path = `${ordersPath}/productOrder/${orderId}`;
    // The SD-WAN activation is the item's point-of-no-return task: once dispatched, it is committed.
    expect((await inFlight(orderId)).taskId).toBe('1-SDWAN_ACTIVATION');
    const before = await getOrder(orderId, partner.token);

    const refused = await api.post(revisionPath(orderId), revisionBody(1, revised, ['2']), partner);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body).toMatchObject({ code: 'POINT_OF_NO_RETURN', details: { items: ['1'] } });
    const { quote, productOrderItem } = revisionBody(1, revised, ['2']);
    const refusedPatch = await api.patch(path, { quote, productOrderItem }, partner);
    expect(refusedPatch.status, JSON.stringify(refusedPatch.body)).toBe(422);
    expect(refusedPatch.body).toMatchObject({ code: 'POINT_OF_NO_RETURN', details: { items: ['1'] } });

    // The workflow goes on writing the order; the refusals wrote nothing of their own.
    const after = await getOrder(orderId, partner.token);
    expect(after.body.productOrderItem.map((i: { id: string }) => i.id)).toEqual(['1']);
    expect(after.body.quote).toEqual(before.body.quote);
    expect(after.body.revision).toBeUndefined();

    // Keeping the committed SD-WAN and adding a fiber is allowed: a TMF622 PATCH of the items.
    const added = revisionBody(1, widened, ['1', '2']);
    const patched = await api.patch(
      path,
      { quote: added.quote, productOrderItem: added.productOrderItem },
      partner,
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ revision: 1, quote: [{ id: widened.id }] });

    const completed = await orderInState(orderId, 'completed', partner.token);
    expect(completed.productOrderItem.map((i: { id: string }) => i.id)).toEqual(['1', '2']);
    const done = await activations(orderId);
    expectEachOnce(done);
    expect(done.map((a) => a.action).sort()).toEqual([
      'ACCESS_PROVISION',
      'SDWAN_ACTIVATION',
      'SERVICE_ACTIVATION',
    ]);
    const [billed] = await subscriptions(orderId);
    expect(billed!.payload.items.map((i: { orderItemId: string }) => i.orderItemId)).toEqual(['1', '2']);
    expect(await revisionEventsOf(orderId)).toHaveLength(1);
  });

  it('before the point of no return: the removed item is compensated, the added item completes, a replay changes nothing', async () => {
    const accountId = account();
    const [original, revised] = await Promise.all([
      acceptedQuote(partner.token, [fiberLine()], accountId),
      acceptedQuote(partner.token, [sdwanLine], accountId),
    ]);
    await setFault('provisioning', 'slow', 1, 3000);
    const orderId = (await createOrder(original, partner.token)).body.id as string;
    // The fiber's access is being provisioned: preparation a decommission undoes, not its commitment.
    expect((await inFlight(orderId)).taskId).toBe('1-ACCESS_PROVISION');

    const key = randomUUID();
    const body = revisionBody(1, revised, ['2']);
    const amended = await api.post(revisionPath(orderId), body, { ...partner, key });
    expect(amended.status, JSON.stringify(amended.body)).toBe(200);
    expectTmf('ProductOrder', amended.body);
    expect(amended.body).toMatchObject({ revision: 1, quote: [{ id: revised.id }] });
    expect(amended.body.productOrderItem.map((i: { id: string }) => i.id)).toEqual(['2']);
    const etag = amended.headers.get('etag');

    // Replays: the same key answers the first response; the same revision under another key
    // answers the order as it is and writes nothing (the DynamoDB requests it made say so).
    const replayed = await api.post(revisionPath(orderId), body, { ...partner, key });
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const againId = `revision-again-${key}`;
    const again = await api.post(revisionPath(orderId), body, {
      ...partner,
      headers: { 'X-Correlation-Id': againId },
    });
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(1);
    const requests = (await api.get(`/ops/local/dynamo-requests/${againId}`, ops)).body;
    expect(requests.byCommand.TransactWriteItemsCommand).toBeUndefined();
    // Another content under an applied revision number, or a stale version: conflicts.
    const other = await api.post(revisionPath(orderId), revisionBody(1, original, ['3']), partner);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentRevision: 1 } });
    const stale = await api.post(revisionPath(orderId), revisionBody(2, original, ['3']), {
      ...partner,
      headers: { 'If-Match': '"1"' },
    });
    expect(stale.status).toBe(412);

    const completed = await orderInState(orderId, 'completed', partner.token);
    expect(completed.productOrderItem.map((i: { id: string }) => i.id)).toEqual(['2']);
    const done = await activations(orderId);
    expectEachOnce(done);
    expect(done.map((a) => a.action).sort()).toEqual([
      'ACCESS_DECOMMISSION',
      'ACCESS_PROVISION',
      'SDWAN_ACTIVATION',
    ]);
    const [billed] = await subscriptions(orderId);
    expect(billed!.payload.items.map((i: { orderItemId: string }) => i.orderItemId)).toEqual(['2']);
    expect(billed!.payload.quoteId).toBe(revised.id);

    const revisionEvents = await revisionEventsOf(orderId);
    expect(revisionEvents).toHaveLength(1);
    expect(revisionEvents[0]!.detail.resource).toMatchObject({
      revision: 1,
      addedItemIds: ['2'],
      removedItemIds: ['1'],
      cancelledTaskIds: ['1-SERVICE_ACTIVATION'],
      compensationTaskIds: ['1-ACCESS_PROVISION-COMPENSATION'],
    });
    expect((await getOrder(orderId, partner.token)).headers.get('etag')).not.toBe(etag);

    // Audited: the order is faithful to the revision quote, billing to the order, and the revision
    // and the order's capture as revised are sealed evidence that matches the order.
    const audit = await eventually(async () => {
      const r = await api.get(`/audit/orders/${orderId}`, ops);
      const sealed = (r.body?.evidence ?? []).filter(
        (e: { evidenceType: string; sealed: unknown }) =>
          ['ORDER_REVISION', 'ORDER_CAPTURE'].includes(e.evidenceType) && e.sealed,
      );
      return r.body?.billingFaithfulToOrder?.status === 'DONE' && sealed.length === 2 ? r.body : undefined;
    });
    expect(audit.acceptedQuote.quoteId).toBe(revised.id);
    expect(audit.orderFaithfulToQuote.faithful).toBe(true);
    expect(audit.billingFaithfulToOrder.faithful).toBe(true);
    for (const type of ['ORDER_REVISION', 'ORDER_CAPTURE']) {
      const link = audit.evidence.find((e: { evidenceType: string }) => e.evidenceType === type);
      expect(link, type).toMatchObject({ recordId: `${orderId}-r1`, sealed: { matches: true } });
    }

    // The tracking view and the account timeline show the revision.
    const tracking = await eventually(async () => {
      const view = await api.get(`/views/order-tracking/${orderId}`, ops);
      return view.body?.state === 'completed' && view.body.revision ? view.body : undefined;
    });
    expect(tracking.revision).toMatchObject({ revision: 1, addedItemIds: ['2'], removedItemIds: ['1'] });
    expect(tracking.items).toEqual([expect.objectContaining({ id: '2', state: 'completed' })]);
    const timeline = await eventually(async () => {
      const view = await api.get(`/views/accounts/${accountId}/timeline?limit=100`, partner);
      const entries = (view.body?.items ?? view.body?.entries ?? []) as {
        entryType: string;
        title: string;
      }[];
      return entries.find((e) => e.entryType === 'PRODUCT_ORDER_REVISION');
    });
    expect(timeline.title).toContain('revision 1');
  });
});
