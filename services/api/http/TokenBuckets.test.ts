import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBuckets } from './TokenBuckets.js';

describe('TokenBuckets', () => {
  it('given a quiet key, then it may make a burst at once and is refused after it', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3, now: () => now });
    assert.deepEqual([1, 2, 3].map(() => buckets.take('k').allowed), [true, true, true]);
    const refused = buckets.take('k');
    assert.deepEqual(refused, { allowed: false, retryAfterMs: 1_000 });
  });

  it('given time passing, then tokens come back at the rate, never above the burst', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 120, burst: 2, now: () => now });
    buckets.take('k');
    buckets.take('k');
    now += 250;
    assert.deepEqual(buckets.take('k'), { allowed: false, retryAfterMs: 250 });
    now += 250;
    assert.equal(buckets.take('k').allowed, true);
    now += 3_600_000;
    assert.deepEqual(buckets.take('k'), { allowed: true, remaining: 1 });
  });

  it('given two keys, then each has its own bucket', () => {
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1, now: () => 0 });
    assert.equal(buckets.take('a').allowed, true);
    assert.equal(buckets.take('a').allowed, false);
    assert.equal(buckets.take('b').allowed, true);
  });
});
