import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket, WHATSAPP_SEND_PACING } from './TokenBucket.js';

describe('TokenBucket', () => {
  it('given a full bucket, when taking capacity tokens at once, then all pass and the next waits one refill interval', () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2 });
    assert.deepEqual([0, 0, 0].map((t) => bucket.take(1_000 + t)), [{ ok: true }, { ok: true }, { ok: true }]);
    assert.deepEqual(bucket.take(1_000), { ok: false, waitMs: 500 });
  });

  it('given an empty bucket, when time passes, then tokens come back at refillPerSecond', () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 });
    bucket.take(0);
    bucket.take(0);
    assert.deepEqual(bucket.take(400), { ok: false, waitMs: 600 });
    assert.deepEqual(bucket.take(1_000), { ok: true });
    assert.deepEqual(bucket.take(1_000), { ok: false, waitMs: 1_000 });
  });

  it('given a long idle time, then the bucket holds no more than its capacity', () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 });
    bucket.take(0);
    const results = [0, 0, 0].map(() => bucket.take(3_600_000));
    assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: false, waitMs: 1_000 }]);
  });

  it('given a clock that steps backwards, then no tokens are added and none are lost', () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 });
    assert.deepEqual(bucket.take(10_000), { ok: true });
    assert.deepEqual(bucket.take(5_000), { ok: false, waitMs: 1_000 });
    assert.deepEqual(bucket.take(11_000), { ok: true });
  });

  it('defaults to the WhatsApp pacing: a burst of 5, then 1 message per second', () => {
    const bucket = new TokenBucket();
    assert.deepEqual(WHATSAPP_SEND_PACING, { capacity: 5, refillPerSecond: 1 });
    const burst = Array.from({ length: 6 }, () => bucket.take(0));
    assert.equal(burst.filter((r) => r.ok).length, 5);
    assert.deepEqual(burst[5], { ok: false, waitMs: 1_000 });
    assert.deepEqual(bucket.take(1_000), { ok: true });
  });

  it('refuses options that could never give a token', () => {
    assert.throws(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 }), RangeError);
    assert.throws(() => new TokenBucket({ capacity: 1, refillPerSecond: 0 }), RangeError);
  });
});
