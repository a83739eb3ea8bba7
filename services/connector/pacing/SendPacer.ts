import { sleep } from '../../shared/index.js';
import { TokenBucket, WHATSAPP_SEND_PACING, type TokenBucketOptions } from './TokenBucket.js';

/** The time source a pacer waits on; tests pass a fake one. */
export interface PacerClock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: PacerClock = { now: () => Date.now(), sleep };

export interface SendPacerOptions {
  pacing?: TokenBucketOptions;
  clock?: PacerClock;
}

interface Lane {
  bucket: TokenBucket;
  /** Settles when every earlier `acquire` of the account has finished or given up. */
  tail: Promise<void>;
}

/**
 * Per-account send pacing: one token bucket per account, and waiters served in arrival order so
 * a long queue of sends cannot be overtaken by a later one.
 */
export class SendPacer {
  private readonly pacing: TokenBucketOptions;
  private readonly clock: PacerClock;
  private readonly lanes = new Map<string, Lane>();

  constructor(options: SendPacerOptions = {}) {
    this.pacing = options.pacing ?? WHATSAPP_SEND_PACING;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Resolves when the account may send one message; rejects with the signal's reason if it aborts first. */
  async acquire(accountId: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const lane = this.lane(accountId);
    const previous = lane.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    // The next waiter needs both: everyone before me done, and me done (or gone).
    lane.tail = Promise.all([previous, mine]).then(() => undefined);
    try {
      await untilSettledOrAborted(previous, signal);
      for (;;) {
        signal?.throwIfAborted();
        const taken = lane.bucket.take(this.clock.now());
        if (taken.ok) return;
        await this.clock.sleep(taken.waitMs, signal);
      }
    } finally {
      release();
    }
  }

  /** Forgets an account's bucket (its session closed); a later acquire starts with a full bucket. */
  forget(accountId: string): void {
    this.lanes.delete(accountId);
  }

  private lane(accountId: string): Lane {
    let lane = this.lanes.get(accountId);
    if (lane === undefined) {
      lane = { bucket: new TokenBucket(this.pacing), tail: Promise.resolve() };
      this.lanes.set(accountId, lane);
    }
    return lane;
  }
}

function untilSettledOrAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
