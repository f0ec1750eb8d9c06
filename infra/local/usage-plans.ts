import type { Throttle, UsagePlan } from '#topology';

type Bucket = { tokens: number; refilledAt: number; day: string; usedToday: number };

export type UsageDecision =
  | { ok: true }
  | { ok: false; code: 'TOO_MANY_REQUESTS' | 'QUOTA_EXCEEDED'; retryAfterSeconds: number };

/**
 * API Gateway usage plans as the local gateway applies them: a token bucket per usage
 * identifier key (rate per second, burst capacity), one more per key and throttled method
 * (usage-plan method throttling; the plan's limit still applies on top), and a per-day quota
 * (UTC days). `scale` multiplies every limit (the shared test stack raises them; 1 is what AWS
 * enforces).
 */
export class UsagePlans {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly plans: ReadonlyMap<string, UsagePlan>,
    private readonly scale = 1,
    private readonly clock: () => number = Date.now,
  ) {}

  has(usageKey: string): boolean {
    return this.plans.has(usageKey);
  }

  /** `method`: the route as `'POST /path'`, for the plan's method throttles. */
  take(usageKey: string, method?: string): UsageDecision {
    const plan = this.plans.get(usageKey);
    if (!plan) return { ok: false, code: 'QUOTA_EXCEEDED', retryAfterSeconds: 86_400 };
    const now = this.clock();
    const day = new Date(now).toISOString().slice(0, 10);
    const planBucket = this.refill(usageKey, plan, now);
    if (planBucket.day !== day) Object.assign(planBucket, { day, usedToday: 0 });
    if (planBucket.usedToday >= plan.quotaPerDay * this.scale) {
      const nextDay = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      return { ok: false, code: 'QUOTA_EXCEEDED', retryAfterSeconds: Math.ceil((nextDay - now) / 1000) };
    }
    const methodThrottle = method ? plan.methods?.[method] : undefined;
    const methodBucket = methodThrottle && this.refill(`${usageKey} ${method}`, methodThrottle, now);
    // A refused request takes no token from either bucket.
    for (const [bucket, throttle] of [
      [methodBucket, methodThrottle],
      [planBucket, plan],
    ] as const) {
      if (bucket && throttle && bucket.tokens < 1) {
        const rate = throttle.rateLimit * this.scale;
        return {
          ok: false,
          code: 'TOO_MANY_REQUESTS',
          retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)),
        };
      }
    }
    if (methodBucket) methodBucket.tokens -= 1;
    planBucket.tokens -= 1;
    planBucket.usedToday += 1;
    return { ok: true };
  }

  private refill(id: string, throttle: Throttle, now: number): Bucket {
    const rate = throttle.rateLimit * this.scale;
    const burst = throttle.burstLimit * this.scale;
    const day = new Date(now).toISOString().slice(0, 10);
    const bucket = this.buckets.get(id) ?? { tokens: burst, refilledAt: now, day, usedToday: 0 };
    this.buckets.set(id, bucket);
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * rate);
    bucket.refilledAt = now;
    return bucket;
  }
}
