import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * The simulated billing system's subscriptions, one per product instance, as a billing system
 * keeps them: each completed billing request applies its items' commitments (subscribe, change,
 * suspend, resume, terminate). Kept in the simulator's table under their own partition, so the
 * effect indexes (by correlation id, by order) never hold them.
 */
export type Subscription = {
  productId: string;
  status: 'active' | 'suspended' | 'terminated';
  /** The monthly charge billing runs now (minor units). */
  recurring: number;
  currency: string;
  accountId?: string;
  billingAccountId?: string;
  lastOrderId: string;
  updatedAt: string;
};

type Commitment = { action?: unknown; productId?: unknown; recurring?: { amount?: unknown } };
type HandoffItem = { currency?: unknown; commitment?: Commitment };

const partition = 'billing#subscriptions';

const statusOf: Record<string, Subscription['status'] | undefined> = {
  subscribe: 'active',
  resume: 'active',
  suspend: 'suspended',
  terminate: 'terminated',
};

/** A subscription after one handoff item's commitment (a `change` keeps the status). */
export const applyCommitment = (
  current: Subscription | undefined,
  item: HandoffItem,
  handoff: { orderId: string; accountId?: string; billingAccountId?: string; at: string },
): Subscription | undefined => {
  const c = item.commitment;
  if (!c || typeof c.productId !== 'string' || typeof c.action !== 'string') return current;
  const status = statusOf[c.action] ?? current?.status;
  if (!status) return current;
  return {
    productId: c.productId,
    status,
    recurring: Number(c.recurring?.amount ?? 0),
    currency: String(item.currency ?? current?.currency ?? ''),
    ...(handoff.accountId ? { accountId: handoff.accountId } : {}),
    ...(handoff.billingAccountId ? { billingAccountId: handoff.billingAccountId } : {}),
    lastOrderId: handoff.orderId,
    updatedAt: handoff.at,
  };
};

export class BillingSubscriptions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(productId: string): Promise<Subscription | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: partition, sk: productId }, ConsistentRead: true }),
    );
    return res.Item?.subscription as Subscription | undefined;
  }

  /** Applies a completed billing request: each item's commitment to its product's subscription. */
  async apply(request: { orderId: string; payload: Record<string, unknown>; at: string }): Promise<void> {
    const payload = request.payload as { items?: unknown; accountId?: unknown; billingAccountId?: unknown };
    if (!Array.isArray(payload.items)) return;
    for (const item of payload.items as HandoffItem[]) {
      const productId = item.commitment?.productId;
      if (typeof productId !== 'string') continue;
      const next = applyCommitment(await this.get(productId), item, {
        orderId: request.orderId,
        ...(typeof payload.accountId === 'string' ? { accountId: payload.accountId } : {}),
        ...(typeof payload.billingAccountId === 'string'
          ? { billingAccountId: payload.billingAccountId }
          : {}),
        at: request.at,
      });
      if (!next) continue;
      await this.doc.send(
        new PutCommand({ TableName: this.table, Item: { pk: partition, sk: productId, subscription: next } }),
      );
    }
  }

  /** One page of the subscriptions, in product id order; `cursor` is the last product id of the page before. */
  async page(
    limit: number,
    cursor?: string,
    status?: Subscription['status'],
  ): Promise<{ subscriptions: Subscription[]; next?: string }> {
    const input: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition, ...(status ? { ':s': status } : {}) },
      ...(status
        ? {
            FilterExpression: '#sub.#status = :s',
            ExpressionAttributeNames: { '#sub': 'subscription', '#status': 'status' },
          }
        : {}),
      Limit: limit,
      ...(cursor ? { ExclusiveStartKey: { pk: partition, sk: cursor } } : {}),
    };
    const res = await this.doc.send(new QueryCommand(input));
    const next = res.LastEvaluatedKey?.sk;
    return {
      subscriptions: (res.Items ?? []).map((i) => i.subscription as Subscription),
      ...(typeof next === 'string' ? { next } : {}),
    };
  }
}
