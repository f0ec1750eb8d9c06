import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { type DomainErrorCode, isDomainError } from '#domain/errors';
import { canonicalHash } from '#domain/quote/canonical-hash';
import {
  acceptQuote,
  createQuote,
  decideApproval,
  fingerprintOf,
  type LineInput,
  linePricingStatusOf,
  priceQuote,
  pricingStatusOf,
  type Quote,
  replaceLines,
  submitQuote,
} from '#domain/quote/quote';
import {
  approver,
  ctx,
  decemberRelease,
  deepFreeze,
  fiberLine,
  NOW,
  partnerA,
  quoteBody,
  seller,
} from './cpq-fixtures.ts';

const LATER = '2026-11-20T09:00:00.000Z';
const AFTER_EXPIRY = '2026-12-11T09:00:00.000Z';

const create = (lines: LineInput[] = [fiberLine()], actor: Actor = seller) =>
  createQuote(quoteBody(lines), { ...ctx(actor), quoteId: 'q-1', catalog: demoCatalogRelease });
const price = (quote: Quote, catalog: CatalogRelease = demoCatalogRelease, now = NOW) =>
  priceQuote(quote, { ...ctx(seller, now), catalog });
const submit = (quote: Quote, catalog: CatalogRelease = demoCatalogRelease, now = NOW, id = 'apr-1') =>
  submitQuote(quote, { ...ctx(seller, now), catalog, approvalRequestId: id });
const decide = (
  quote: Quote,
  decision: 'APPROVE' | 'REJECT' = 'APPROVE',
  actor: Actor = approver,
  catalog: CatalogRelease = demoCatalogRelease,
  now = NOW,
) =>
  decideApproval(
    quote,
    { decision, comment: 'margin is thin, ok once' },
    { ...ctx(actor, now), catalog, decisionId: 'dec-1' },
  );
const accept = (quote: Quote, catalog: CatalogRelease = demoCatalogRelease, now = NOW) =>
  acceptQuote(quote, { ...ctx(partnerA, now), catalog, evidenceId: 'ev-1' });

/** inProgress quote priced on the demo book with the given fiber discount. */
const pricedQuote = (discount?: number) => price(create([fiberLine(discount)]).quote).quote;
const pendingQuote = (discount = 25) => submit(pricedQuote(discount)).quote;
const approvedQuote = (discount = 25) => decide(pendingQuote(discount)).quote;

function codeOf(fn: () => unknown): DomainErrorCode {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('createQuote', () => {
  it('creates an unpriced inProgress quote owned by the actor channel', () => {
    const { quote, events } = create(
      [fiberLine(5), { offeringId: 'off-security', quantity: 1, options: {} }],
      partnerA,
    );
    expect(quote).toMatchObject({
      id: 'q-1',
      version: 0,
      state: 'inProgress',
      channelId: 'partner-a',
      currency: 'USD',
      externalId: 'ext-1',
      validFor: { startDateTime: NOW, endDateTime: '2026-12-10T09:00:00.000Z' },
    });
    expect(quote.lines.map((l) => [l.lineId, l.catalogVersion, l.configuration.status])).toEqual([
      ['1', 'cat-2026.11.0', 'VALID'],
      ['2', 'cat-2026.11.0', 'VALID'],
    ]);
    expect(quote.lines[0]!.options).toEqual({ term: 24, install: 'standard' });
    expect(pricingStatusOf(quote, demoCatalogRelease)).toBe('NOT_PRICED');
    expect(events).toEqual([
      {
        eventType: 'QuoteCreateEvent',
        domain: 'quote',
        resource: {
          id: 'q-1',
          state: 'inProgress',
          channelId: 'partner-a',
          accountId: 'acc-1',
          customer: { name: 'Acme Corp', region: undefined, segment: 'enterprise' },
          products: [
            { lineId: '1', offeringId: 'off-fiber-1g', productFamily: 'Connectivity', quantity: 1 },
            { lineId: '2', offeringId: 'off-security', productFamily: 'Security', quantity: 1 },
          ],
          createdAt: NOW,
          currency: 'USD',
          externalId: 'ext-1',
          validFor: quote.validFor,
          // The seller who created it: a seller's own worklist.
          owner: 'partner-a-user',
          lineCount: 2,
        },
      },
    ]);
  });

  it('keeps an explicit validity end and refuses one in the past or malformed', () => {
    const body = { ...quoteBody(), validFor: { endDateTime: '2026-11-30T00:00:00Z' } };
    const { quote } = createQuote(body, { ...ctx(seller), quoteId: 'q-2', catalog: demoCatalogRelease });
    expect(quote.validFor.endDateTime).toBe('2026-11-30T00:00:00.000Z');
    const past = { ...quoteBody(), validFor: { endDateTime: NOW } };
    expect(
      codeOf(() => createQuote(past, { ...ctx(seller), quoteId: 'q', catalog: demoCatalogRelease })),
    ).toBe('QUOTE_EXPIRED');
    const malformed = { ...quoteBody(), validFor: { endDateTime: 'soon' } };
    expect(
      codeOf(() => createQuote(malformed, { ...ctx(seller), quoteId: 'q', catalog: demoCatalogRelease })),
    ).toBe('MALFORMED_REQUEST');
  });

  it('validates configuration and currency on the way in', () => {
    expect(codeOf(() => create([{ offeringId: 'off-security', quantity: 1, options: {} }]))).toBe(
      'INVALID_CONFIGURATION',
    );
    const eur = { ...quoteBody(), currency: 'EUR' };
    expect(
      codeOf(() => createQuote(eur, { ...ctx(seller), quoteId: 'q', catalog: demoCatalogRelease })),
    ).toBe('CATALOG_INCOMPATIBLE');
  });

  it('does not mutate its input', () => {
    const body = deepFreeze(quoteBody([fiberLine(5, { options: { term: '24' } })]));
    expect(() =>
      createQuote(body, { ...ctx(seller), quoteId: 'q', catalog: deepFreeze(demoCatalogRelease) }),
    ).not.toThrow();
  });
});

describe('priceQuote', () => {
  it('prices on the given release and keeps the time outside the snapshot', () => {
    const { quote, events, approvalInvalidated } = price(create([fiberLine(5)]).quote);
    expect(pricingStatusOf(quote, demoCatalogRelease)).toBe('PRICED');
    expect(linePricingStatusOf(quote, '1', demoCatalogRelease)).toBe('PRICED');
    expect(quote.pricedAt).toBe(NOW);
    expect(JSON.stringify(quote.priceSnapshot)).not.toContain(NOW);
    expect(approvalInvalidated).toBe(false);
    expect(events.map((e) => e.eventType)).toEqual(['QuoteAttributeValueChangeEvent']);
    expect(JSON.stringify(events)).not.toContain('margin');
  });

  it('gives the same snapshot at another time and is then a no-op', () => {
    const first = pricedQuote(5);
    const again = price(first, demoCatalogRelease, LATER);
    expect(again.quote).toBe(first);
    expect(again.events).toEqual([]);
  });

  it('reports STALE at read time once a new price book is current', () => {
    const quote = pricedQuote(5);
    expect(pricingStatusOf(quote, decemberRelease)).toBe('STALE');
    expect(linePricingStatusOf(quote, '1', decemberRelease)).toBe('STALE');
    const repriced = price(quote, decemberRelease).quote;
    expect(pricingStatusOf(repriced, decemberRelease)).toBe('PRICED');
    expect(repriced.lines[0]!.catalogVersion).toBe('cat-2026.12.0');
    expect(repriced.priceSnapshot!.lines[0]!.listRecurring).toBe(95_000);
  });

  it('re-validates against the release it prices on', () => {
    const withoutFiber: CatalogRelease = {
      ...decemberRelease,
      offerings: decemberRelease.offerings.filter((o) => o.id !== 'off-fiber-1g'),
    };
    expect(codeOf(() => price(create().quote, withoutFiber))).toBe('INVALID_CONFIGURATION');
    expect(codeOf(() => price(create().quote, { ...decemberRelease, currency: 'EUR' }))).toBe(
      'CATALOG_INCOMPATIBLE',
    );
  });

  it('keeps an approval when the fingerprint is unchanged and drops it when the book changes', () => {
    const approved = approvedQuote(25);
    expect(price(approved).quote.state).toBe('approved');
    const repriced = price(approved, decemberRelease);
    expect(repriced.approvalInvalidated).toBe(true);
    expect(repriced.quote.state).toBe('inProgress');
    expect(repriced.quote.approval.grant).toBeUndefined();
    expect(repriced.quote.approval.invalidations).toEqual([
      {
        at: NOW,
        cause: 'REPRICED',
        invalidated: 'GRANT',
        fingerprint: approved.approval.grant!.fingerprint,
        requestId: 'apr-1',
      },
    ]);
    expect(repriced.events.map((e) => e.eventType)).toEqual([
      'QuoteAttributeValueChangeEvent',
      'QuoteStateChangeEvent',
      'QuoteApprovalInvalidatedEvent',
    ]);
  });

  it('invalidates an open request when repricing changes the fingerprint', () => {
    const repriced = price(pendingQuote(25), decemberRelease);
    expect(repriced.approvalInvalidated).toBe(true);
    expect(repriced.quote.state).toBe('inProgress');
    expect(repriced.quote.approval.openRequestId).toBeUndefined();
    expect(repriced.quote.approval.requests).toHaveLength(1);
  });
});

describe('replaceLines', () => {
  const change = (quote: Quote, lines: LineInput[]) =>
    replaceLines(quote, { lines }, { ...ctx(seller, LATER), catalog: demoCatalogRelease });

  it('unprices the quote and invalidates the approval of an approved quote', () => {
    const approved = deepFreeze(approvedQuote(25));
    const { quote, events, approvalInvalidated } = change(approved, [fiberLine(26)]);
    expect(approvalInvalidated).toBe(true);
    expect(quote.state).toBe('inProgress');
    expect(quote.version).toBe(approved.version);
    expect(quote.priceSnapshot).toBeUndefined();
    expect(quote.pricedAt).toBeUndefined();
    expect(pricingStatusOf(quote, demoCatalogRelease)).toBe('NOT_PRICED');
    expect(quote.approval.grant).toBeUndefined();
    expect(quote.approval.decisions).toHaveLength(1);
    expect(quote.approval.invalidations[0]).toMatchObject({ cause: 'LINES_REPLACED', invalidated: 'GRANT' });
    expect(events.map((e) => e.eventType)).toEqual([
      'QuoteAttributeValueChangeEvent',
      'QuoteStateChangeEvent',
      'QuoteApprovalInvalidatedEvent',
    ]);
    expect(codeOf(() => accept(quote))).toBe('APPROVAL_REQUIRED');
  });

  it('invalidates an open approval request', () => {
    const { quote, approvalInvalidated } = change(pendingQuote(25), [fiberLine(25, { quantity: 2 })]);
    expect(approvalInvalidated).toBe(true);
    expect(quote.approval.invalidations[0]).toMatchObject({
      invalidated: 'OPEN_REQUEST',
      requestId: 'apr-1',
    });
    expect(codeOf(() => decide(quote))).toBe('INVALID_STATE_TRANSITION');
  });

  it('changing an unapproved quote only unprices it', () => {
    const { quote, events, approvalInvalidated } = change(pricedQuote(5), [fiberLine(6)]);
    expect(approvalInvalidated).toBe(false);
    expect(quote.lines[0]!.discountBasisPoints).toBe(600);
    expect(events.map((e) => e.eventType)).toEqual(['QuoteAttributeValueChangeEvent']);
  });

  it('identical lines change nothing, not even the approval', () => {
    const approved = approvedQuote(25);
    const result = change(approved, [fiberLine(25, { options: { term: '24', install: 'standard' } })]);
    expect(result).toEqual({ quote: approved, events: [], approvalInvalidated: false });
  });

  it('refuses invalid lines and closed quotes', () => {
    expect(codeOf(() => change(pricedQuote(), [fiberLine(5, { options: {} })]))).toBe(
      'INVALID_CONFIGURATION',
    );
    const rejected = decide(pendingQuote(), 'REJECT').quote;
    expect(codeOf(() => change(rejected, [fiberLine()]))).toBe('INVALID_STATE_TRANSITION');
    const accepted = accept(approvedQuote()).quote;
    expect(codeOf(() => change(accepted, [fiberLine()]))).toBe('INVALID_STATE_TRANSITION');
    expect(codeOf(() => price(accepted))).toBe('INVALID_STATE_TRANSITION');
  });
});

describe('submitQuote', () => {
  it('auto-approves at 10 %', () => {
    const { quote, events } = submit(pricedQuote(10));
    expect(quote.state).toBe('approved');
    expect(quote.approval.grant).toEqual({
      basis: 'AUTO',
      fingerprint: fingerprintOf(quote, 'pb-2026.11.0'),
      policyVersion: 'deal-policy-1',
      grantedAt: NOW,
    });
    expect(quote.approval.requests).toEqual([]);
    expect(events.map((e) => e.eventType)).toEqual(['QuoteStateChangeEvent']);
    expect(events[0]!.resource).toMatchObject({ state: 'approved', previousState: 'inProgress' });
  });

  it('sends 10.01 % to pending approval with a due date and fingerprint', () => {
    const { quote, events } = submit(pricedQuote(10.01));
    expect(quote.state).toBe('pending');
    expect(quote.approval.requests).toEqual([
      {
        id: 'apr-1',
        reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
        lineIds: ['1'],
        maxDiscountPercent: 10.01,
        policyVersion: 'deal-policy-1',
        fingerprint: fingerprintOf(quote, 'pb-2026.11.0'),
        submittedAt: NOW,
        dueAt: '2026-11-11T09:00:00.000Z',
        requestedBy: { principalId: 'sales-user', role: 'sales', channelId: 'sales-portal' },
      },
    ]);
    expect(quote.approval.openRequestId).toBe('apr-1');
    expect(events.map((e) => e.eventType)).toEqual(['QuoteStateChangeEvent', 'QuoteApprovalRequestedEvent']);
  });

  it('40 % still goes to approval, 40.01 % is POLICY_VIOLATION', () => {
    expect(submit(pricedQuote(40)).quote.state).toBe('pending');
    expect(codeOf(() => submit(pricedQuote(40.01)))).toBe('POLICY_VIOLATION');
  });

  it('refuses an unpriced, stale, expired or already submitted quote', () => {
    expect(codeOf(() => submit(create().quote))).toBe('NOT_PRICED');
    expect(codeOf(() => submit(pricedQuote(), decemberRelease))).toBe('STALE_PRICE');
    expect(codeOf(() => submit(pricedQuote(), demoCatalogRelease, AFTER_EXPIRY))).toBe('QUOTE_EXPIRED');
    expect(codeOf(() => submit(pendingQuote()))).toBe('INVALID_STATE_TRANSITION');
  });

  it('refuses a quote whose lines no longer configure on the current release', () => {
    const termless: CatalogRelease = {
      ...decemberRelease,
      offerings: decemberRelease.offerings.map((o) =>
        o.id === 'off-fiber-1g'
          ? {
              ...o,
              options: o.options.map((opt) =>
                opt.name === 'term' ? { ...opt, domain: { kind: 'enum' as const, values: [36] } } : opt,
              ),
            }
          : o,
      ),
    };
    expect(codeOf(() => submit(pricedQuote(), termless))).toBe('INVALID_CONFIGURATION');
  });

  it('refuses a snapshot that does not cover the current lines', () => {
    const tampered: Quote = { ...pricedQuote(5), lines: create([fiberLine(30)]).quote.lines };
    expect(codeOf(() => submit(tampered))).toBe('NOT_PRICED');
  });

  it('follows deal-policy-1 for any discount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        const quote = pricedQuote(bp / 100);
        if (bp > 4000) expect(codeOf(() => submit(quote))).toBe('POLICY_VIOLATION');
        else expect(submit(quote).quote.state).toBe(bp > 1000 ? 'pending' : 'approved');
      }),
      { numRuns: 200 },
    );
  });
});

describe('decideApproval', () => {
  it('APPROVE records an immutable decision and grants the requested fingerprint', () => {
    const pending = deepFreeze(pendingQuote(25));
    const { quote, events } = decide(pending);
    expect(quote.state).toBe('approved');
    expect(quote.approval.decisions).toEqual([
      {
        id: 'dec-1',
        requestId: 'apr-1',
        decision: 'APPROVE',
        actor: { principalId: 'approver-user', role: 'approver', channelId: 'deal-desk' },
        at: NOW,
        fingerprint: pending.approval.requests[0]!.fingerprint,
        policyVersion: 'deal-policy-1',
        comment: 'margin is thin, ok once',
      },
    ]);
    expect(quote.approval.grant).toMatchObject({
      basis: 'DECISION',
      requestId: 'apr-1',
      decisionId: 'dec-1',
    });
    expect(quote.approval.openRequestId).toBeUndefined();
    expect(events.map((e) => e.eventType)).toEqual(['QuoteApprovalDecidedEvent', 'QuoteStateChangeEvent']);
    expect(JSON.stringify(events)).not.toContain('margin');
  });

  it('REJECT ends the quote', () => {
    const { quote } = decide(pendingQuote(25), 'REJECT');
    expect(quote.state).toBe('rejected');
    expect(quote.approval.grant).toBeUndefined();
    expect(codeOf(() => accept(quote))).toBe('INVALID_STATE_TRANSITION');
  });

  it('checks authority at decision time', () => {
    const pending = pendingQuote(25);
    expect(codeOf(() => decide(pending, 'APPROVE', { ...approver, approvalLimitPercent: 20 }))).toBe(
      'AUTHORITY_EXCEEDED',
    );
    expect(codeOf(() => decide(pending, 'APPROVE', seller))).toBe('AUTHORITY_EXCEEDED');
    expect(codeOf(() => decide(pending, 'REJECT', seller))).toBe('AUTHORITY_EXCEEDED');
    expect(decide(pending, 'REJECT', { ...approver, approvalLimitPercent: 20 }).quote.state).toBe('rejected');
  });

  it('is APPROVAL_STALE when a new price book became current while the request waited', () => {
    expect(codeOf(() => decide(pendingQuote(25), 'APPROVE', approver, decemberRelease))).toBe(
      'APPROVAL_STALE',
    );
  });

  it('refuses expired quotes and quotes that are not pending', () => {
    expect(
      codeOf(() => decide(pendingQuote(25), 'APPROVE', approver, demoCatalogRelease, AFTER_EXPIRY)),
    ).toBe('QUOTE_EXPIRED');
    expect(codeOf(() => decide(pricedQuote(25)))).toBe('INVALID_STATE_TRANSITION');
    expect(codeOf(() => decide(approvedQuote(25)))).toBe('INVALID_STATE_TRANSITION');
  });
});

describe('acceptQuote', () => {
  it('stores acceptance evidence bound to the accepted snapshot', () => {
    const approved = deepFreeze(approvedQuote(25));
    const { quote, events } = accept(approved);
    expect(quote.state).toBe('accepted');
    expect(quote.acceptance).toEqual({
      id: 'ev-1',
      snapshotHash: canonicalHash(approved.priceSnapshot),
      inputHash: approved.priceSnapshot!.inputHash,
      acceptedBy: { principalId: 'partner-a-user', role: 'partner', channelId: 'partner-a' },
      acceptedAt: NOW,
      catalogVersion: 'cat-2026.11.0',
      priceBookVersion: 'pb-2026.11.0',
      policyVersion: 'deal-policy-1',
      approvalFingerprint: approved.approval.grant!.fingerprint,
    });
    expect(events.map((e) => e.eventType)).toEqual(['QuoteStateChangeEvent', 'QuoteAcceptedEvent']);
    expect(codeOf(() => accept(quote))).toBe('INVALID_STATE_TRANSITION');
  });

  it('needs an approval', () => {
    expect(codeOf(() => accept(pricedQuote(5)))).toBe('APPROVAL_REQUIRED');
    expect(codeOf(() => accept(pendingQuote(25)))).toBe('APPROVAL_REQUIRED');
    const { grant: _g, ...approval } = approvedQuote().approval;
    expect(codeOf(() => accept({ ...approvedQuote(), approval }))).toBe('APPROVAL_REQUIRED');
  });

  it('is APPROVAL_STALE when the approval covers another state', () => {
    const approved = approvedQuote(25);
    const forged: Quote = {
      ...approved,
      approval: { ...approved.approval, grant: { ...approved.approval.grant!, fingerprint: 'sha256:old' } },
    };
    expect(codeOf(() => accept(forged))).toBe('APPROVAL_STALE');
  });

  it('is NOT_PRICED without a snapshot for the current lines', () => {
    const { priceSnapshot: _s, ...unpriced } = approvedQuote(25);
    expect(codeOf(() => accept(unpriced))).toBe('NOT_PRICED');
  });

  it('is INVALID_CONFIGURATION when a line no longer configures', () => {
    const sameBookNoTerm24: CatalogRelease = {
      ...demoCatalogRelease,
      offerings: demoCatalogRelease.offerings.map((o) =>
        o.id === 'off-fiber-1g' ? { ...o, options: o.options.filter((opt) => opt.name !== 'term') } : o,
      ),
    };
    expect(codeOf(() => accept(approvedQuote(25), sameBookNoTerm24))).toBe('INVALID_CONFIGURATION');
  });

  it('is QUOTE_EXPIRED at or after the end of validity', () => {
    const approved = approvedQuote(25);
    expect(codeOf(() => accept(approved, demoCatalogRelease, approved.validFor.endDateTime))).toBe(
      'QUOTE_EXPIRED',
    );
  });
});

describe('requirements 000 §5 failure chain: a price book published between approval and acceptance', () => {
  it('refuses the stale price, then reprice, resubmit, approve and accept succeed', () => {
    const approvedOnNovember = approvedQuote(25);
    expect(approvedOnNovember.priceSnapshot!.priceBookVersion).toBe('pb-2026.11.0');

    // pb-2026.12.0 is published: nothing is rewritten, staleness is derived at read time.
    expect(pricingStatusOf(approvedOnNovember, decemberRelease)).toBe('STALE');
    expect(codeOf(() => accept(approvedOnNovember, decemberRelease, LATER))).toBe('STALE_PRICE');

    const repriced = price(approvedOnNovember, decemberRelease, LATER);
    expect(repriced.approvalInvalidated).toBe(true);
    expect(repriced.quote.state).toBe('inProgress');
    expect(repriced.quote.priceSnapshot!.priceBookVersion).toBe('pb-2026.12.0');

    const resubmitted = submit(repriced.quote, decemberRelease, LATER, 'apr-2').quote;
    expect(resubmitted.state).toBe('pending');
    const reapproved = decide(resubmitted, 'APPROVE', approver, decemberRelease, LATER).quote;
    const { quote: accepted } = accept(reapproved, decemberRelease, LATER);

    expect(accepted.state).toBe('accepted');
    expect(accepted.acceptance).toMatchObject({
      priceBookVersion: 'pb-2026.12.0',
      catalogVersion: 'cat-2026.12.0',
    });
    expect(accepted.priceSnapshot!.lines[0]!.netRecurring).toBe(95_000 - 23_750);
    expect(accepted.approval.requests.map((r) => r.id)).toEqual(['apr-1', 'apr-2']);
    expect(accepted.approval.invalidations.map((i) => i.cause)).toEqual(['REPRICED']);
  });
});
