/** The answer of one take: allowed, or how long until a token is back. */
export type TakeResult = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export interface TokenBucketsOptions {
  /** Tokens refilled per minute. */
  perMinute: number;
  /** Bucket size: requests a quiet key may make at once. */
  burst: number;
  /** Monotonic milliseconds; injected by tests. */
  now?: () => number;
}

/** One token bucket per key (API key id): `burst` at once, then `perMinute` on average. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketsOptions) {
    this.perMs = options.perMinute / 60_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes one token from `key`'s bucket if it has one. */
  take(key: string): TakeResult {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.perMs) };
  }
}
