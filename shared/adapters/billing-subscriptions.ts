import type { BillingAnswer, SubscriptionFacts } from '#domain/reconciliation/installed-base-drift';
import { env } from '#plumbing/env';

/** Billing's subscription API (read only): one subscription by product, and a paged listing. */
const get = async (path: string): Promise<Response> =>
  fetch(`${env.downstreamUrl('billing')}${path}`, {
    method: 'GET',
    signal: AbortSignal.timeout(env.downstreamTimeoutMs()),
  });

const factsOf = (body: Record<string, unknown>): SubscriptionFacts => ({
  productId: String(body.productId),
  status: String(body.status) as SubscriptionFacts['status'],
  recurring: Number(body.recurring ?? 0),
  currency: String(body.currency ?? ''),
  ...(typeof body.updatedAt === 'string' ? { updatedAt: body.updatedAt } : {}),
  ...(typeof body.lastOrderId === 'string' ? { lastOrderId: body.lastOrderId } : {}),
});

/** Billing's subscription of one product; any failure to answer is UNAVAILABLE (the pair stays unverified). */
export const billingSubscriptionOf = async (productId: string): Promise<BillingAnswer> => {
  try {
    const res = await get(`/subscriptions/${encodeURIComponent(productId)}`);
    if (res.status === 404) return { status: 'NOT_FOUND' };
    if (!res.ok) return { status: 'UNAVAILABLE', error: `billing answered ${res.status}` };
    return { status: 'FOUND', subscription: factsOf((await res.json()) as Record<string, unknown>) };
  } catch (error) {
    return { status: 'UNAVAILABLE', error: (error as Error).name };
  }
};

/** One page of billing's active subscriptions after `cursor` (billing's own opaque cursor). */
export const activeSubscriptionsPage = async (
  limit: number,
  cursor?: string,
): Promise<{ subscriptions: SubscriptionFacts[]; next?: string }> => {
  const query = new URLSearchParams({
    status: 'active',
    limit: String(limit),
    ...(cursor ? { cursor } : {}),
  });
  const res = await get(`/subscriptions?${query}`);
  if (!res.ok) throw new Error(`Billing subscriptions answered ${res.status}`);
  const body = (await res.json()) as { subscriptions?: Record<string, unknown>[]; nextCursor?: unknown };
  return {
    subscriptions: (body.subscriptions ?? []).map(factsOf),
    ...(typeof body.nextCursor === 'string' ? { next: body.nextCursor } : {}),
  };
};
