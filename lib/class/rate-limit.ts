/**
 * Token buckets by key (a bearer token, a client address): each holds up to `burst` requests and
 * refills at `perMinute`. Buckets that refilled completely are forgotten, so the map stays small.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly sweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly perMinute: number,
    private readonly burst = perMinute,
  ) {
    this.sweep = setInterval(() => this.forgetFull(), 60_000);
    this.sweep.unref?.();
  }

  /** Takes one request from `key`'s bucket; false when it is empty (answer 429). */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.refilled(key, now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until `key` may send again (for Retry-After). */
  retryAfter(key: string, now = Date.now()): number {
    const bucket = this.refilled(key, now);
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute));
  }

  stop(): void {
    clearInterval(this.sweep);
  }

  private refilled(key: string, now: number) {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  private forgetFull(now = Date.now()): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000 >= this.burst) {
        this.buckets.delete(key);
      }
    }
  }
}
