import { beforeAll, describe, expect, it } from 'vitest';
import { indexedVersion } from '#adapters/search-reindex';
import { reconcileBySteps } from '../support/reconcile-steps.ts';
import { expireOutbox, project, saveOldHeldOrder, saveOldPendingQuote } from './old-aggregates.ts';

beforeAll(() => {
  process.env.RECON_PROJECTION_GRACE_MS = '0';
});

describe('search index reconciliation (scheduled reconciliation, check search-vs-source)', () => {
  it('finds documents missing or behind their aggregate, with evidence, and re-indexes them from the aggregate', async () => {
    const accountId = `acct-${crypto.randomUUID()}`;
    // A quote never indexed, and an order indexed only as created; both outboxes since expired.
    const quoteId = await saveOldPendingQuote(accountId);
    const orderId = await saveOldHeldOrder(accountId);
    await project('ORDER', orderId, 1);
    await expireOutbox('QUOTE', quoteId);
    await expireOutbox('ORDER', orderId);
    expect(await indexedVersion('quote', quoteId)).toBeUndefined();
    expect(await indexedVersion('order', orderId)).toEqual({ version: 1, state: 'acknowledged' });

    const scope = { quoteIds: [quoteId], orderIds: [orderId], checks: ['search-vs-source' as const] };
    const { run } = await reconcileBySteps(scope);
    const findings = run!.findings.filter((f) => f.classification === 'SEARCH_INDEX_DRIFT');
    expect(findings.map((f) => f.sourceRecord.id).sort()).toEqual([orderId, quoteId].sort());
    const order = findings.find((f) => f.sourceRecord.id === orderId)!;
    expect(order).toMatchObject({
      sourceRecord: { system: 'aggregates', type: 'ProductOrder', version: 4, state: 'held' },
      counterpartRecord: { system: 'search', version: 1, state: 'acknowledged' },
      repairDecision: { mode: 'AUTO' },
      resultingState: 'REPAIRED',
    });
    expect(findings.find((f) => f.sourceRecord.id === quoteId)).toMatchObject({
      counterpartRecord: null,
      resultingState: 'REPAIRED',
    });
    expect(await indexedVersion('quote', quoteId)).toEqual({ version: 2, state: 'pending' });
    expect(await indexedVersion('order', orderId)).toEqual({ version: 4, state: 'held' });

    const again = await reconcileBySteps(scope);
    expect(again.run!.findings).toEqual([]);
    expect(again.run!.checks.find((c) => c.check === 'search-vs-source')).toMatchObject({
      examined: 2,
      findings: 0,
    });
  });
});
