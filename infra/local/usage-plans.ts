import type { UsagePlan } from '#topology';

type Bucket = { tokens: number; refilledAt: number; day: string; usedToday: number };

export type UsageDecision =
  | { ok: true }
  | { ok: false; code: 'TOO_MANY_REQUESTS' | 'QUOTA_EXCEEDED'; retryAfterSeconds: number };

/**
 * API Gateway usage plans as the local gateway applies them: a token bucket per usage
 * identifier key (rate per second, burst capacity) and a per-day quota (UTC days). `scale`
 * multiplies every limit (the shared test stack raises them; 1 is what AWS enforces).
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

  take(usageKey: string): UsageDecision {
    const plan = this.plans.get(usageKey);
    if (!plan) return { ok: false, code: 'QUOTA_EXCEEDED', retryAfterSeconds: 86_400 };
    const now = this.clock();
    const day = new Date(now).toISOString().slice(0, 10);
    const rate = plan.rateLimit * this.scale;
    const burst = plan.burstLimit * this.scale;
    const bucket = this.buckets.get(usageKey) ?? { tokens: burst, refilledAt: now, day, usedToday: 0 };
    this.buckets.set(usageKey, bucket);
    if (bucket.day !== day) Object.assign(bucket, { day, usedToday: 0 });
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * rate);
    bucket.refilledAt = now;
    if (bucket.usedToday >= plan.quotaPerDay * this.scale) {
      const nextDay = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      return { ok: false, code: 'QUOTA_EXCEEDED', retryAfterSeconds: Math.ceil((nextDay - now) / 1000) };
    }
    if (bucket.tokens < 1) {
      return {
        ok: false,
        code: 'TOO_MANY_REQUESTS',
        retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)),
      };
    }
    bucket.tokens -= 1;
    bucket.usedToday += 1;
    return { ok: true };
  }
}
