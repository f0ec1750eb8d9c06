import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectForRole } from '#domain/access/role-projection';
import { canSeeQuote, regionAllows } from '#domain/access/visibility';
import { roles } from '#domain/actor';

describe('what a role reads at the query boundary', () => {
  it('support reads no approval comment, margin or cost at any depth; other fields stay', () => {
    const body = {
      id: 'o-1',
      state: 'held',
      comment: 'deal desk only',
      items: [{ id: '1', marginRecurring: 135, unitCost: 5, price: 675, approval: { comment: 'x' } }],
      approvals: { decisions: [{ comment: 'ok' }] },
      totals: { netRecurring: 675, marginRecurring: 135 },
    };
    expect(projectForRole('support', body)).toEqual({
      id: 'o-1',
      state: 'held',
      items: [{ id: '1', price: 675 }],
      totals: { netRecurring: 675 },
    });
  });

  it('leaves every other role’s answer untouched', () => {
    const body = { comment: 'c', marginRecurring: 1 };
    for (const role of roles.filter((r) => r !== 'support')) expect(projectForRole(role, body)).toBe(body);
  });

  it('no key support reads matches a confidential name, whatever the shape', () => {
    const key = fc.constantFrom(
      'id',
      'state',
      'comment',
      'margin',
      'marginRecurring',
      'unitCost',
      'approvals',
      'note',
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (t) => {
        const text = JSON.stringify(projectForRole('support', t));
        expect(text).not.toMatch(/"(comment|margin\w*|unitCost|approvals)":/);
      }),
    );
  });
});

describe('a seller limited to a region', () => {
  const emea = { role: 'sales' as const, channelId: 'sales-portal', region: 'EMEA' };
  it('sees quotes of its region and quotes without one, never another region', () => {
    expect(regionAllows(emea, 'EMEA')).toBe(true);
    expect(regionAllows(emea, undefined)).toBe(true);
    expect(regionAllows(emea, 'APAC')).toBe(false);
    expect(regionAllows(emea, 'emea')).toBe(false);
  });
  it('limits sellers only, and only those with a region; channels still apply', () => {
    fc.assert(
      fc.property(fc.constantFrom(...roles), fc.option(fc.string(), { nil: undefined }), (role, region) => {
        expect(regionAllows({ role }, region)).toBe(true);
        expect(regionAllows({ role, region: 'EMEA' }, region)).toBe(
          role !== 'sales' || region === undefined || region === 'EMEA',
        );
      }),
    );
    expect(
      canSeeQuote({ role: 'partner', channelId: 'partner-b' }, { channelId: 'partner-a', customer: {} }),
    ).toBe(false);
    expect(canSeeQuote(emea, { channelId: 'partner-a', customer: { region: 'APAC' } })).toBe(false);
    expect(canSeeQuote(emea, { channelId: 'partner-a', customer: { region: 'EMEA' } })).toBe(true);
  });
});
