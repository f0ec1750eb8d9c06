import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inRange, listKeyBounds, parseDateRange, parseFields, selectFields } from '#domain/tmf/list-query';
import { errorCode as code } from '#test/domain-error';

describe('TMF fields selection', () => {
  it('keeps id, href, @type and the named attributes only', () => {
    const resource = {
      id: 'po-1',
      href: '/x',
      '@type': 'ProductOrder',
      state: 'completed',
      note: [],
      orderDate: 'd',
    };
    expect(selectFields(resource, parseFields('state, orderDate'))).toEqual({
      id: 'po-1',
      href: '/x',
      '@type': 'ProductOrder',
      state: 'completed',
      orderDate: 'd',
    });
    expect(selectFields(resource, undefined)).toBe(resource);
  });

  it('refuses what is not an attribute list', () => {
    expect(code(() => parseFields(''))).toBe('MALFORMED_REQUEST');
    expect(code(() => parseFields('state,a.b'))).toBe('MALFORMED_REQUEST');
    expect(code(() => parseFields('__proto__'))).toBe('MALFORMED_REQUEST');
  });
});

describe('TMF date range filters', () => {
  it('parses gt/gte/lt/lte into a UTC range; a bad date is a 400', () => {
    expect(
      parseDateRange(
        { 'orderDate.gte': '2026-11-01', 'orderDate.lt': '2026-12-01T00:00:00+01:00' },
        'orderDate',
      ),
    ).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      fromInclusive: true,
      to: '2026-11-30T23:00:00.000Z',
      toInclusive: false,
    });
    expect(parseDateRange({}, 'orderDate')).toBeUndefined();
    expect(code(() => parseDateRange({ 'orderDate.gt': 'yesterday' }, 'orderDate'))).toBe(
      'MALFORMED_REQUEST',
    );
  });

  it('the key bounds select exactly the list keys whose instant is in the range', () => {
    const instant = fc
      .integer({ min: 0, max: 1_000 })
      .map((m) => new Date(Date.UTC(2026, 10, 1) + m * 60_000).toISOString());
    fc.assert(
      fc.property(
        instant,
        fc.uuid(),
        fc.option(instant, { nil: undefined }),
        fc.option(instant, { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        (at, id, from, to, fromInclusive, toInclusive) => {
          const range = { ...(from ? { from } : {}), ...(to ? { to } : {}), fromInclusive, toInclusive };
          const bounds = listKeyBounds(range)!;
          const key = `${at}#${id}`;
          expect(key >= bounds.from && key <= bounds.to).toBe(inRange(at, range));
        },
      ),
    );
  });
});

describe('listing by a channel reference', () => {
  it('reads the sparse external id index, in the partner’s channel’s partition', async () => {
    const { orderIndexKeys, planOrderList } = await import('#domain/access/list-keys');
    const partner = { principalId: 'p', role: 'partner' as const, channelId: 'partner-a' };
    expect(planOrderList(partner, { externalId: 'PO-1', state: 'held' })).toEqual({
      index: 'ordersByExternalId',
      partitionAttribute: 'orderExternalId',
      partitions: ['partner-a:PO-1'],
      where: { state: 'held' },
    });
    const order = { id: 'o-1', channelId: 'c', state: 'held' as const, accountId: 'a' };
    expect(orderIndexKeys(order)).not.toHaveProperty('orderExternalId');
    expect(orderIndexKeys({ ...order, externalId: 'PO-1' }).orderExternalId).toBe('c:PO-1');
  });
});
