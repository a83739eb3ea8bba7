export interface TokenBucketOptions {
  /** Most tokens the bucket holds: how many sends may go out back to back. */
  readonly capacity: number;
  /** Tokens added per second: the sustained send rate. */
  readonly refillPerSecond: number;
}

/**
 * The default pacing of one WhatsApp account. WhatsApp bans numbers that send at machine
 * speed, but a person answering several chats in a row is normal: a burst of 5 lets a short
 * run of replies out at once, and 1 message per second sustained (3,600 an hour) is about the
 * pace of a busy human agent, well beyond what a support or notification account needs while
 * keeping a runaway client from spraying hundreds of messages a second from one number.
 */
export const WHATSAPP_SEND_PACING: TokenBucketOptions = { capacity: 5, refillPerSecond: 1 };

export type TakeResult = { ok: true } | { ok: false; waitMs: number };

/**
 * A token bucket driven by the caller's clock: `take(now)` never reads the time itself, so
 * it is deterministic under test. The bucket starts full.
 */
export class TokenBucket {
  readonly options: TokenBucketOptions;
  private tokens: number;
  private refilledAt: number | null = null;

  constructor(options: TokenBucketOptions = WHATSAPP_SEND_PACING) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) {
      throw new RangeError(`a token bucket needs capacity >= 1 and refillPerSecond > 0, got ${options.capacity} and ${options.refillPerSecond}`);
    }
    this.options = options;
    this.tokens = options.capacity;
  }

  /** Takes one token at time `now` (ms), or says how long to wait until one is available. */
  take(now: number): TakeResult {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.options.refillPerSecond)) };
  }

  private refill(now: number): void {
    // A clock that steps backwards (NTP) adds nothing rather than draining the bucket.
    const elapsedMs = this.refilledAt === null ? 0 : Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.options.capacity, this.tokens + (elapsedMs * this.options.refillPerSecond) / 1000);
    if (this.refilledAt === null || now > this.refilledAt) this.refilledAt = now;
  }
}
