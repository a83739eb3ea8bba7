import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, sleep, type BackoffPolicy } from './backoff.js';

const policy: BackoffPolicy = { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0.5 };

describe('backoffDelay', () => {
  it('grows exponentially from the initial delay', () => {
    assert.deepEqual([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 1)), [100, 200, 400, 800]);
  });

  it('never exceeds the cap', () => {
    assert.equal(backoffDelay(30, policy, () => 1), 1_000);
    assert.equal(backoffDelay(1_000, policy, () => 1), 1_000);
  });

  it('jitters within [delay*(1-jitter), delay]', () => {
    assert.equal(backoffDelay(3, policy, () => 0), 200);
    assert.equal(backoffDelay(3, policy, () => 0.5), 300);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, policy);
      assert.ok(d >= 200 && d <= 400, String(d));
    }
  });
});

describe('sleep', () => {
  it('returns early when aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await pending;
  });
});
